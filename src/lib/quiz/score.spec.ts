import { describe, expect, it } from 'vitest';
import type { Question } from '../course-format/quiz.js';
import type { Answer } from './answer.js';
import { scoreAttempt, scoreQuestion } from './score.js';
import { sampleQuestion, sampleQuiz } from './test-support/sample-quiz.js';

const correct = (question: Question, answer: Answer | undefined, language?: string) => scoreQuestion(question, answer, language).correct;

/** A right answer to every sample question. */
const rightAnswers: Record<string, Answer> = {
	'late-bid': { type: 'single', optionId: 'c' },
	'opening-record': { type: 'multiple', optionIds: ['d', 'a', 'c'] },
	sealed: { type: 'true-false', value: true },
	'standstill-days': { type: 'numeric', value: 10 },
	principle: { type: 'text', value: 'value for money.' },
	'evaluation-terms': { type: 'matching', pairs: { standstill: 'standstill', responsive: 'responsive', qualified: 'qualified' } },
	'award-steps': { type: 'ordering', order: ['open', 'evaluate', 'notify', 'sign'] }
};

describe('scoreQuestion', () => {
	it('accepts the right answer to every type', () => {
		for (const question of sampleQuiz.questions) expect(correct(question, rightAnswers[question.id]), question.id).toBe(true);
	});

	it('marks an unanswered question, and an answer to another type, wrong', () => {
		for (const question of sampleQuiz.questions) expect(correct(question, undefined), question.id).toBe(false);
		expect(correct(sampleQuestion('single'), { type: 'true-false', value: true })).toBe(false);
	});

	it('wants exactly the set of correct options in a multiple-choice question', () => {
		const multiple = sampleQuestion('multiple');
		expect(correct(multiple, { type: 'multiple', optionIds: ['a', 'c'] })).toBe(false);
		expect(correct(multiple, { type: 'multiple', optionIds: ['a', 'c', 'd', 'e'] })).toBe(false);
		// Padding with a duplicate must not make up for a missing option.
		expect(correct(multiple, { type: 'multiple', optionIds: ['a', 'c', 'c'] })).toBe(false);
		expect(correct(sampleQuestion('single'), { type: 'single', optionId: 'a' })).toBe(false);
	});

	it('allows the tolerance on a numeric answer, with room for float error only', () => {
		const numeric: Question = { ...sampleQuestion('numeric'), answer: 2.5, tolerance: 0.1 };
		for (const value of [2.4, 2.5, 2.6]) expect(correct(numeric, { type: 'numeric', value }), String(value)).toBe(true);
		for (const value of [2.3999, 2.6001, -2.5]) expect(correct(numeric, { type: 'numeric', value }), String(value)).toBe(false);
		const exact = sampleQuestion('numeric');
		expect(correct(exact, { type: 'numeric', value: 10 })).toBe(true);
		expect(correct(exact, { type: 'numeric', value: 10.001 })).toBe(false);
		// Near 1e12 a double's step is ~1e-4: 1e12+0.3 and 1e12+0.2 lie 0.10009765625 apart.
		const big: Question = { ...exact, answer: 1e12 + 0.3, tolerance: 0.1 };
		expect(correct(big, { type: 'numeric', value: 1e12 + 0.2 })).toBe(true);
		expect(correct(big, { type: 'numeric', value: 1e12 + 0.1 })).toBe(false);
	});

	it('compares text answers forgivingly, in the given language', () => {
		const text = sampleQuestion('text');
		expect(correct(text, { type: 'text', value: ' VFM ' })).toBe(true);
		expect(correct(text, { type: 'text', value: 'money' })).toBe(false);
		const hindi: Question = { ...text, accepted: ['काम'] };
		expect(correct(hindi, { type: 'text', value: 'कम' }, 'hi')).toBe(false);
		expect(correct(hindi, { type: 'text', value: 'काम।' }, 'hi')).toBe(true);
	});

	it('wants every pair matched to its own right-hand side, and the authored order', () => {
		const matching = sampleQuestion('matching');
		expect(correct(matching, { type: 'matching', pairs: { responsive: 'qualified', qualified: 'responsive', standstill: 'standstill' } })).toBe(false);
		expect(correct(matching, { type: 'matching', pairs: { responsive: 'responsive', qualified: 'qualified' } })).toBe(false);
		const ordering = sampleQuestion('ordering');
		expect(correct(ordering, { type: 'ordering', order: ['open', 'evaluate', 'sign', 'notify'] })).toBe(false);
		expect(correct(ordering, { type: 'ordering', order: ['open', 'evaluate', 'notify'] })).toBe(false);
	});
});

describe('scoreAttempt', () => {
	it('counts right answers and passes at the pass mark', () => {
		expect(scoreAttempt(sampleQuiz, rightAnswers)).toEqual({
			correctCount: 7,
			total: 7,
			percent: 100,
			passed: true,
			results: Object.fromEntries(sampleQuiz.questions.map((q) => [q.id, { correct: true }]))
		});
		// 5 of 7 is 71.4 → 71 ≥ 70; 4 of 7 is 57.
		const { 'late-bid': _a, sealed: _b, ...fiveRight } = rightAnswers;
		const five = scoreAttempt(sampleQuiz, fiveRight);
		expect([five.correctCount, five.percent, five.passed]).toEqual([5, 71, true]);
		expect(five.results['late-bid']).toEqual({ correct: false });
		const { principle: _c, ...fourRight } = fiveRight;
		expect(scoreAttempt(sampleQuiz, fourRight)).toMatchObject({ correctCount: 4, percent: 57, passed: false });
	});

	it('rounds the percentage before comparing it with the pass mark', () => {
		const three = sampleQuiz.questions.slice(0, 3);
		const twoRight = { 'late-bid': rightAnswers['late-bid']!, 'opening-record': rightAnswers['opening-record']! };
		expect(scoreAttempt({ passMark: 67, questions: three }, twoRight)).toMatchObject({ percent: 67, passed: true });
		expect(scoreAttempt({ passMark: 68, questions: three }, twoRight)).toMatchObject({ percent: 67, passed: false });
		expect(scoreAttempt({ passMark: 0, questions: three }, {})).toMatchObject({ correctCount: 0, percent: 0, passed: true });
	});

	it('ignores answers to questions the quiz does not have, and inherited keys', () => {
		const ghost = { ...rightAnswers, 'no-such-question': { type: 'true-false', value: true } as const };
		expect(scoreAttempt(sampleQuiz, ghost)).toMatchObject({ correctCount: 7, total: 7 });
		expect(Object.keys(scoreAttempt(sampleQuiz, ghost).results)).not.toContain('no-such-question');
		const constructor: Question = { ...sampleQuestion('true-false'), id: 'constructor' };
		expect(scoreAttempt({ passMark: 50, questions: [constructor] }, {}).results).toEqual({ constructor: { correct: false } });
	});

	it('uses the quiz language for text answers', () => {
		const question: Question = { ...sampleQuestion('text'), accepted: ['så'] };
		const answers = { principle: { type: 'text', value: 'sa' } as const };
		expect(scoreAttempt({ passMark: 100, questions: [question], language: 'sv' }, answers).passed).toBe(false);
		expect(scoreAttempt({ passMark: 100, questions: [question], language: 'en' }, answers).passed).toBe(true);
	});
});
