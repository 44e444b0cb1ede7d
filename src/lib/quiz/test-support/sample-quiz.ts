/**
 * One question of every type, parsed through the bundle's quiz schema so the tests only ever
 * score questions a real bundle could hold. Texts loosely follow the procurement course.
 */
import { quizSchema, type Question, type Quiz } from '../../course-format/quiz.js';

const rightOrWrong = { correct: 'Right.', incorrect: 'Not quite.' };
const option = (id: string, correct: boolean) => ({ id, text: `Option ${id}`, correct, feedback: `About ${id}` });

export const sampleQuiz: Quiz = quizSchema.parse({
	lessonId: 'evaluation-award',
	language: 'en',
	passMark: 70,
	questions: [
		{ id: 'late-bid', type: 'single', prompt: 'A bid arrives late. What now?', options: [option('a', false), option('b', false), option('c', true), option('d', false)] },
		{ id: 'opening-record', type: 'multiple', prompt: 'What is read aloud?', options: [option('a', true), option('b', false), option('c', true), option('d', true), option('e', false)] },
		{ id: 'sealed', type: 'true-false', prompt: 'Bids are opened in public.', answer: true, feedback: { true: 'Yes, in public.', false: 'They are opened in public.' } },
		{ id: 'standstill-days', type: 'numeric', prompt: 'How long is the standstill?', answer: 10, tolerance: 0, unit: 'days', feedback: rightOrWrong },
		{ id: 'principle', type: 'text', prompt: 'Name the principle.', accepted: ['Value for money', 'VfM'], feedback: rightOrWrong },
		{
			id: 'evaluation-terms',
			type: 'matching',
			prompt: 'Match each term with its meaning.',
			pairs: [
				{ id: 'responsive', left: 'Responsive bid', right: 'Meets the essential requirements' },
				{ id: 'qualified', left: 'Qualified bidder', right: 'Can do the job' },
				{ id: 'standstill', left: 'Standstill period', right: 'Time to challenge the award' }
			],
			feedback: rightOrWrong
		},
		{
			id: 'award-steps',
			type: 'ordering',
			prompt: 'Put the steps in order.',
			items: [
				{ id: 'open', text: 'Open bids' },
				{ id: 'evaluate', text: 'Evaluate' },
				{ id: 'notify', text: 'Notify intention to award' },
				{ id: 'sign', text: 'Sign the contract' }
			],
			feedback: rightOrWrong
		}
	]
});

/** The sample question of a given type, typed as that variant. */
export function sampleQuestion<T extends Question['type']>(type: T): Extract<Question, { type: T }> {
	const found = sampleQuiz.questions.find((q): q is Extract<Question, { type: T }> => q.type === type);
	if (!found) throw new Error(`no sample ${type} question`);
	return found;
}
