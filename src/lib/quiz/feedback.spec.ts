import { describe, expect, it } from 'vitest';
import type { Question } from '../course-format/quiz.js';
import { feedbackFor } from './feedback.js';
import { sampleQuestion } from './test-support/sample-quiz.js';

describe('feedbackFor', () => {
	it("gives a single-choice question's chosen option's feedback, right or wrong", () => {
		const single = sampleQuestion('single');
		expect(feedbackFor(single, { type: 'single', optionId: 'c' })).toEqual(['About c']);
		expect(feedbackFor(single, { type: 'single', optionId: 'b' })).toEqual(['About b']);
		expect(feedbackFor(single, undefined)).toEqual([]);
	});

	it('gives every chosen option and every missed correct option, in authored order', () => {
		const multiple = sampleQuestion('multiple'); // correct: a, c, d
		expect(feedbackFor(multiple, { type: 'multiple', optionIds: ['e', 'a'] })).toEqual(['About a', 'About c', 'About d', 'About e']);
		expect(feedbackFor(multiple, { type: 'multiple', optionIds: ['d', 'c', 'a'] })).toEqual(['About a', 'About c', 'About d']);
		expect(feedbackFor(multiple, undefined)).toEqual(['About a', 'About c', 'About d']);
	});

	it('gives the true-false feedback written for the value chosen', () => {
		const trueFalse = sampleQuestion('true-false');
		expect(feedbackFor(trueFalse, { type: 'true-false', value: true })).toEqual(['Yes, in public.']);
		expect(feedbackFor(trueFalse, { type: 'true-false', value: false })).toEqual(['They are opened in public.']);
	});

	it('gives the other types their correct or incorrect feedback as scored', () => {
		const cases: [Question, Parameters<typeof feedbackFor>[1], string][] = [
			[sampleQuestion('numeric'), { type: 'numeric', value: 10 }, 'Right.'],
			[sampleQuestion('numeric'), { type: 'numeric', value: 12 }, 'Not quite.'],
			[sampleQuestion('text'), { type: 'text', value: 'VFM' }, 'Right.'],
			[sampleQuestion('text'), undefined, 'Not quite.'],
			[sampleQuestion('matching'), { type: 'matching', pairs: { responsive: 'responsive', qualified: 'qualified', standstill: 'standstill' } }, 'Right.'],
			[sampleQuestion('ordering'), { type: 'ordering', order: ['sign', 'open', 'evaluate', 'notify'] }, 'Not quite.']
		];
		for (const [question, answer, expected] of cases) expect(feedbackFor(question, answer), question.type).toEqual([expected]);
	});

	it('compares text answers in the quiz language when asked', () => {
		const text: Question = { ...sampleQuestion('text'), accepted: ['så'] };
		expect(feedbackFor(text, { type: 'text', value: 'sa' }, 'sv')).toEqual(['Not quite.']);
		expect(feedbackFor(text, { type: 'text', value: 'sa' }, 'en')).toEqual(['Right.']);
	});

	it('treats an answer the question cannot have as choosing nothing', () => {
		expect(feedbackFor(sampleQuestion('single'), { type: 'single', optionId: 'zz' })).toEqual([]);
		expect(feedbackFor(sampleQuestion('true-false'), { type: 'numeric', value: 1 })).toEqual([]);
	});
});
