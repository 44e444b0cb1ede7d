/**
 * A small course for certificate tests: a text, an audio and two quiz lessons, in English and
 * Hindi, with the quizzes as the server holds them (answer keys included). The Hindi quiz accepts
 * a Devanagari answer the English one does not, so a test can tell which language scored it.
 */
import type { Manifest } from '../../../../src/lib/course-format/manifest.js';
import { quizSchema, type Quiz } from '../../../../src/lib/course-format/quiz.js';
import type { QuizKey, QuizLookup } from '../course-completion.js';

export const COURSE_ID = 'procurement-essentials';
export const LEARNER_ID = '0b8f3c1e-7a8d-4c57-9a53-0d1c2b3a4f5e';

const title = (en: string, hi: string) => ({ en, hi });

export function courseManifest(version = 2): Manifest {
	return {
		format: 1,
		id: COURSE_ID,
		version,
		publisher: 'test-publisher',
		licence: 'CC-BY-4.0',
		languages: ['en', 'hi'],
		title: title('Procurement essentials', 'खरीद की मूल बातें'),
		description: title('For tests', 'परीक्षण के लिए'),
		passMark: 60,
		modules: [
			{
				id: 'basics',
				title: title('Basics', 'मूल बातें'),
				lessons: [
					{ id: 'intro', kind: 'text', minutes: 3, title: title('Intro', 'परिचय'), content: { en: { html: 'intro.en.html', media: [] }, hi: { html: 'intro.hi.html', media: [] } } },
					{
						id: 'listen',
						kind: 'audio',
						minutes: 2,
						title: title('Listen', 'सुनिए'),
						content: { en: { audio: 'listen.en.ogg', transcript: 'listen.en.html', media: [] }, hi: { audio: 'listen.hi.ogg', transcript: 'listen.hi.html', media: [] } }
					},
					{ id: 'check', kind: 'quiz', minutes: 4, title: title('Check', 'जाँच'), content: { en: { quiz: 'check.en.json' }, hi: { quiz: 'check.hi.json' } } }
				]
			},
			{
				id: 'award',
				title: title('Award', 'अनुबंध'),
				lessons: [
					{ id: 'final', kind: 'quiz', minutes: 5, passMark: 100, title: title('Final', 'अंतिम'), content: { en: { quiz: 'final.en.json' }, hi: { quiz: 'final.hi.json' } } }
				]
			}
		],
		files: [],
		createdAt: '2025-01-01T00:00:00.000Z'
	};
}

const feedback = { correct: 'Right', incorrect: 'Not quite' };
const option = (id: string, correct: boolean) => ({ id, text: `Option ${id}`, correct, feedback: `About ${id}` });

/** "check": pick "a"; name the standard (OCDS; in Hindi also ओसीडीएस). Two questions: one right is 50%. */
export function checkQuiz(language: 'en' | 'hi', version = 2): Quiz {
	return quizSchema.parse({
		lessonId: 'check',
		language,
		passMark: 60,
		questions: [
			// Version 1 had the wrong option marked correct; version 2 fixed it.
			{ id: 'pick', type: 'single', prompt: 'Pick one', options: [option('a', version >= 2), option('b', version < 2)] },
			{ id: 'name-it', type: 'text', prompt: 'Name the standard', accepted: language === 'hi' ? ['OCDS', 'ओसीडीएस'] : ['OCDS'], feedback }
		]
	});
}

/** "final": bids are opened in public (true); the standstill is 10 days. */
export function finalQuiz(language: 'en' | 'hi'): Quiz {
	return quizSchema.parse({
		lessonId: 'final',
		language,
		passMark: 100,
		questions: [
			{ id: 'public', type: 'true-false', prompt: 'Bids are opened in public.', answer: true, feedback: { true: 'Yes', false: 'No' } },
			{ id: 'standstill', type: 'numeric', prompt: 'Standstill days?', answer: 10, feedback }
		]
	});
}

/** The quizzes the server holds: both versions of "check", the current "final", both languages. */
export const heldQuizzes: QuizLookup = ({ lessonId, courseVersion, language }: QuizKey) => {
	if (language !== 'en' && language !== 'hi') return undefined;
	if (lessonId === 'check') return checkQuiz(language, courseVersion);
	if (lessonId === 'final') return finalQuiz(language);
	return undefined;
};

/** Right answers to every question, by lesson. */
export const RIGHT = {
	check: { pick: { type: 'single', optionId: 'a' }, 'name-it': { type: 'text', value: 'ocds' } },
	final: { public: { type: 'true-false', value: true }, standstill: { type: 'numeric', value: 10 } }
} as const;
