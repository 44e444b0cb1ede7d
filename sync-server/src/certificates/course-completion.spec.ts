import { describe, expect, it } from 'vitest';
import { seededRandom, shuffled } from '../../../src/lib/progress-model/test-support/history.js';
import { courseCompletion, quizzesNeeded, type QuizKey } from './course-completion.js';
import { checkQuiz, COURSE_ID, courseManifest, heldQuizzes, LEARNER_ID, RIGHT } from './test-support/course.js';
import { attemptId, learnerHistory } from './test-support/learner-history.js';

const course = courseManifest();
const decide = (events: Parameters<typeof courseCompletion>[2]) => courseCompletion(course, LEARNER_ID, events, heldQuizzes);
const WRONG_PICK = { type: 'single', optionId: 'b' } as const;

describe('deciding from the learner’s events whether a course is completed', () => {
	it('completes a course when every lesson is done and every quiz passes when re-scored', () => {
		const history = learnerHistory();
		const last = history.completeCourse();
		const completion = decide(history.events);
		expect(completion).toEqual({
			complete: true,
			courseId: COURSE_ID,
			courseVersion: 2,
			courseTitle: course.title,
			percent: 100,
			completedAt: last.at,
			quizzes: { check: { bestPercent: 100, attempts: 1 }, final: { bestPercent: 100, attempts: 1 } }
		});
		// Arrival order does not matter: replication delivers events in any order.
		expect(decide(shuffled(history.events, seededRandom(3)))).toEqual(completion);
	});

	it('gives nothing to a phone that claims a pass with wrong answers', () => {
		const history = learnerHistory();
		history.read('intro');
		history.read('listen');
		history.quiz('check', { attempt: 1, answers: { pick: WRONG_PICK, 'name-it': { type: 'text', value: 'IATI' } }, claimed: 100 });
		history.quiz('final', { attempt: 2, answers: RIGHT.final, claimed: 100 });
		expect(decide(history.events)).toEqual({ complete: false, missing: ['check'] });
	});

	it('gives nothing while a lesson is not done, and names it', () => {
		const history = learnerHistory();
		history.read('intro');
		history.quiz('check', { attempt: 1, answers: RIGHT.check });
		history.quiz('final', { attempt: 2, answers: RIGHT.final });
		expect(decide(history.events)).toEqual({ complete: false, missing: ['listen'] });
		expect(decide([])).toEqual({ complete: false, missing: ['intro', 'listen', 'check', 'final'] });
	});

	it('dates the certificate by the attempt that passed when the first one failed, and keeps the best score', () => {
		const history = learnerHistory();
		history.read('intro');
		history.read('listen');
		history.quiz('final', { attempt: 1, answers: RIGHT.final });
		// One of two right is 50%, under the pass mark of 60.
		const failed = history.quiz('check', { attempt: 2, answers: { ...RIGHT.check, pick: WRONG_PICK }, claimed: 100 });
		const passed = history.quiz('check', { attempt: 3, answers: RIGHT.check, claimed: 0 });
		history.scribe.wait(60_000);
		history.quiz('check', { attempt: 4, answers: {}, claimed: 100 });
		const completion = decide(history.events);
		expect(completion).toMatchObject({ complete: true, completedAt: passed.at, quizzes: { check: { bestPercent: 100, attempts: 3 } } });
		expect(completion.complete && completion.completedAt).not.toBe(failed.at);
	});

	it('scores a Hindi attempt against the Hindi quiz', () => {
		const hindiAnswer = { pick: RIGHT.check.pick, 'name-it': { type: 'text', value: 'ओसीडीएस' } };
		const inHindi = learnerHistory();
		inHindi.read('intro');
		inHindi.read('listen');
		inHindi.quiz('check', { attempt: 1, answers: hindiAnswer, language: 'hi' });
		inHindi.quiz('final', { attempt: 2, answers: RIGHT.final, language: 'hi' });
		expect(decide(inHindi.events)).toMatchObject({ complete: true, percent: 100 });

		// The English quiz does not accept the Devanagari answer: one of two right, 50%, fails.
		const inEnglish = learnerHistory();
		inEnglish.read('intro');
		inEnglish.read('listen');
		inEnglish.quiz('check', { attempt: 1, answers: hindiAnswer, language: 'en' });
		inEnglish.quiz('final', { attempt: 2, answers: RIGHT.final });
		expect(decide(inEnglish.events)).toEqual({ complete: false, missing: ['check'] });
	});

	it('scores an attempt against the quiz of the course version it was started in', () => {
		// Version 1 marked "b" correct; the learner who answered "b" then passed, and still does.
		const history = learnerHistory();
		history.read('intro');
		history.read('listen');
		history.quiz('check', { attempt: 1, answers: { ...RIGHT.check, pick: WRONG_PICK }, version: 1 });
		history.quiz('final', { attempt: 2, answers: RIGHT.final });
		expect(decide(history.events)).toMatchObject({ complete: true, courseVersion: 2 });
		expect(quizzesNeeded(course, LEARNER_ID, history.events)).toEqual<QuizKey[]>([
			{ lessonId: 'check', courseVersion: 1, language: 'en' },
			{ lessonId: 'final', courseVersion: 2, language: 'en' }
		]);
	});

	it('keeps the latest saved answer to each question, as the phone scored it', () => {
		const history = learnerHistory();
		history.read('intro');
		history.read('listen');
		const id = attemptId(1);
		history.events.push(history.scribe.started('check', id));
		history.events.push(history.scribe.answered('check', id, 'pick', WRONG_PICK));
		history.events.push(history.scribe.answered('check', id, 'name-it', RIGHT.check['name-it']));
		history.events.push(history.scribe.answered('check', id, 'pick', RIGHT.check.pick));
		history.events.push(history.scribe.submitted('check', id, 100));
		history.quiz('final', { attempt: 2, answers: RIGHT.final });
		expect(decide(history.events)).toMatchObject({ complete: true });

		history.events.push(history.scribe.answered('check', id, 'pick', WRONG_PICK));
		expect(decide(history.events)).toEqual({ complete: false, missing: ['check'] });
	});

	it('ignores lessons and quizzes it does not know, other learners and courses, and unprovable claims', () => {
		const history = learnerHistory();
		history.completeCourse();
		const complete = decide(history.events);

		const other = learnerHistory({ learnerId: 'someone-else', seed: 2 });
		other.completeCourse();
		const noise = learnerHistory({ courseId: 'another-course', seed: 3 });
		noise.completeCourse();
		const extra = learnerHistory({ seed: 4 });
		extra.read('a-lesson-from-an-older-version');
		extra.quiz('an-unknown-quiz', { attempt: 9, answers: RIGHT.check });
		const withNoise = [...history.events, ...other.events, ...noise.events, ...extra.events];
		expect(decide(withNoise)).toEqual(complete);
		expect(decide([...other.events, ...noise.events])).toMatchObject({ complete: false, missing: ['intro', 'listen', 'check', 'final'] });

		// A bare completion of a quiz, a submission without a started attempt, a quiz the server lacks.
		const unproven = learnerHistory({ seed: 5 });
		unproven.read('intro');
		unproven.read('listen');
		unproven.read('check');
		unproven.events.push(unproven.scribe.submitted('final', attemptId(7), 100));
		expect(decide(unproven.events)).toEqual({ complete: false, missing: ['check', 'final'] });
		const inTamil = learnerHistory({ seed: 6 });
		inTamil.read('intro');
		inTamil.read('listen');
		inTamil.quiz('check', { attempt: 1, answers: RIGHT.check, language: 'ta' });
		inTamil.quiz('final', { attempt: 2, answers: RIGHT.final });
		expect(decide(inTamil.events)).toEqual({ complete: false, missing: ['check'] });
	});

	it('never trusts a quiz handed over for another lesson or language', () => {
		const history = learnerHistory();
		history.completeCourse();
		const wrongQuiz = (key: QuizKey) => (key.lessonId === 'final' ? checkQuiz('en') : heldQuizzes(key));
		expect(courseCompletion(course, LEARNER_ID, history.events, wrongQuiz)).toEqual({ complete: false, missing: ['final'] });
	});

	it('averages the quizzes’ best percents, to two decimals', () => {
		const history = learnerHistory();
		history.read('intro');
		history.read('listen');
		// "check" at 50% fails, then passes at 100%; "final" needs 100%. Mean of 100 and 100.
		history.quiz('check', { attempt: 1, answers: { pick: RIGHT.check.pick } });
		history.quiz('final', { attempt: 2, answers: RIGHT.final });
		expect(decide(history.events)).toEqual({ complete: false, missing: ['check'] });
		const easier = { ...course, modules: course.modules.map((m) => ({ ...m, lessons: m.lessons.map((l) => (l.id === 'check' ? { ...l, passMark: 50 } : l)) })) };
		expect(courseCompletion(easier, LEARNER_ID, history.events, heldQuizzes)).toMatchObject({ complete: true, percent: 75 });
	});
});
