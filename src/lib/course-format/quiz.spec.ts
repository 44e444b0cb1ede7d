import { describe, expect, it } from 'vitest';
import { quizSchema } from './quiz';

const option = (id: string, correct: boolean) => ({ id, text: `Option ${id}`, correct, feedback: `Because ${id}` });
const rightOrWrong = { correct: 'Yes', incorrect: 'No' };

const everyType = [
	{ id: 'one', type: 'single', prompt: 'Pick one', options: [option('a', true), option('b', false)] },
	{ id: 'many', type: 'multiple', prompt: 'Pick all', options: [option('a', true), option('b', true), option('c', false)] },
	{ id: 'tf', type: 'true-false', prompt: 'True?', answer: true, feedback: { true: 'Right', false: 'Wrong' } },
	{ id: 'num', type: 'numeric', prompt: 'How many?', answer: 21, tolerance: 0, unit: 'days', feedback: rightOrWrong },
	{ id: 'txt', type: 'text', prompt: 'Name it', accepted: ['OCDS', 'open contracting data standard'], feedback: rightOrWrong },
	{ id: 'match', type: 'matching', prompt: 'Match', pairs: [{ id: 'p', left: 'A', right: '1' }, { id: 'q', left: 'B', right: '2' }], feedback: rightOrWrong },
	{ id: 'order', type: 'ordering', prompt: 'Order', items: [{ id: 'x', text: 'First' }, { id: 'y', text: 'Second' }], feedback: rightOrWrong }
];

const quiz = (questions: unknown[]) => ({ lessonId: 'check', language: 'en', passMark: 70, questions });

describe('quizSchema', () => {
	it('accepts every question type', () => {
		const parsed = quizSchema.parse(quiz(everyType));
		expect(parsed.questions.map((q) => q.type)).toEqual(['single', 'multiple', 'true-false', 'numeric', 'text', 'matching', 'ordering']);
	});

	it('refuses a single-choice question with two right answers, and a multiple-choice one with none', () => {
		const twoRight = { ...everyType[0], options: [option('a', true), option('b', true)] };
		const noneRight = { ...everyType[1], options: [option('a', false), option('b', false)] };
		expect(quizSchema.safeParse(quiz([twoRight])).success).toBe(false);
		expect(quizSchema.safeParse(quiz([noneRight])).success).toBe(false);
	});

	it('refuses an option without feedback, a text question without answers, and an unknown type', () => {
		const noFeedback = { ...everyType[0], options: [{ id: 'a', text: 'A', correct: true }, option('b', false)] };
		expect(quizSchema.safeParse(quiz([noFeedback])).success).toBe(false);
		expect(quizSchema.safeParse(quiz([{ ...everyType[4], accepted: [] }])).success).toBe(false);
		expect(quizSchema.safeParse(quiz([{ ...everyType[0], type: 'essay' }])).success).toBe(false);
	});
});
