import { describe, expect, it } from 'vitest';
import { checkAnswerShape, TEXT_ANSWER_MAX_LENGTH } from './answer.js';
import { sampleQuestion } from './test-support/sample-quiz.js';

const single = sampleQuestion('single');
const multiple = sampleQuestion('multiple');
const matching = sampleQuestion('matching');
const ordering = sampleQuestion('ordering');
const problemOf = (check: ReturnType<typeof checkAnswerShape>) => (check.ok ? 'ok' : check.problem);

describe('checkAnswerShape', () => {
	it('accepts a well-formed answer of every type, keeping only the known fields', () => {
		const answers = [
			[single, { type: 'single', optionId: 'c' }],
			[multiple, { type: 'multiple', optionIds: ['a', 'd'] }],
			[sampleQuestion('true-false'), { type: 'true-false', value: false }],
			[sampleQuestion('numeric'), { type: 'numeric', value: -2.5 }],
			[sampleQuestion('text'), { type: 'text', value: 'VfM' }],
			[matching, { type: 'matching', pairs: { responsive: 'qualified', qualified: 'responsive', standstill: 'standstill' } }],
			[ordering, { type: 'ordering', order: ['sign', 'open', 'notify', 'evaluate'] }]
		] as const;
		for (const [question, value] of answers) {
			const check = checkAnswerShape(question, structuredClone(value));
			expect(check, question.type).toEqual({ ok: true, answer: value });
		}
		const kept = checkAnswerShape(single, { type: 'single', optionId: 'c', extra: 1 });
		expect(kept.ok && Object.keys(kept.answer)).toEqual(['type', 'optionId']);
	});

	it('refuses values that are not answers, and answers to another type of question', () => {
		for (const value of [undefined, null, 'c', 42, [], {}, { type: 'essay', value: 'x' }]) {
			expect(problemOf(checkAnswerShape(single, value)), JSON.stringify(value)).toBe('malformed');
		}
		expect(problemOf(checkAnswerShape(single, { type: 'single', option: 'c' }))).toBe('malformed');
		expect(problemOf(checkAnswerShape(single, { type: 'multiple', optionIds: ['c'] }))).toBe('wrong-type');
	});

	it('names options, pairs and items the question does not have', () => {
		expect(problemOf(checkAnswerShape(single, { type: 'single', optionId: 'z' }))).toBe('unknown-option');
		expect(problemOf(checkAnswerShape(multiple, { type: 'multiple', optionIds: ['a', 'z'] }))).toBe('unknown-option');
		expect(problemOf(checkAnswerShape(matching, { type: 'matching', pairs: { responsive: 'nope', qualified: 'qualified', standstill: 'standstill' } }))).toBe('unknown-option');
		expect(problemOf(checkAnswerShape(matching, { type: 'matching', pairs: { nope: 'responsive', qualified: 'qualified', standstill: 'standstill' } }))).toBe('unknown-option');
		expect(problemOf(checkAnswerShape(ordering, { type: 'ordering', order: ['open', 'evaluate', 'notify', 'sign', 'pay'] }))).toBe('unknown-option');
	});

	it('refuses choosing, matching or placing the same id twice', () => {
		expect(problemOf(checkAnswerShape(multiple, { type: 'multiple', optionIds: ['a', 'a'] }))).toBe('duplicate');
		expect(problemOf(checkAnswerShape(matching, { type: 'matching', pairs: { responsive: 'qualified', qualified: 'qualified', standstill: 'standstill' } }))).toBe('duplicate');
		expect(problemOf(checkAnswerShape(ordering, { type: 'ordering', order: ['open', 'open', 'notify', 'sign'] }))).toBe('duplicate');
	});

	it('calls an empty choice, an unmatched pair or a missing item incomplete', () => {
		expect(problemOf(checkAnswerShape(multiple, { type: 'multiple', optionIds: [] }))).toBe('incomplete');
		expect(problemOf(checkAnswerShape(matching, { type: 'matching', pairs: { responsive: 'responsive' } }))).toBe('incomplete');
		expect(problemOf(checkAnswerShape(ordering, { type: 'ordering', order: ['open', 'evaluate'] }))).toBe('incomplete');
	});

	it('refuses a numeric answer that is not a finite number, and a blank or overlong text', () => {
		const numeric = sampleQuestion('numeric');
		for (const value of ['10', null, Number.NaN, Number.POSITIVE_INFINITY]) {
			expect(problemOf(checkAnswerShape(numeric, { type: 'numeric', value })), String(value)).toBe('not-a-number');
		}
		const text = sampleQuestion('text');
		expect(problemOf(checkAnswerShape(text, { type: 'text', value: ' \n ' }))).toBe('empty');
		expect(problemOf(checkAnswerShape(text, { type: 'text', value: 'x'.repeat(TEXT_ANSWER_MAX_LENGTH) }))).toBe('ok');
		expect(problemOf(checkAnswerShape(text, { type: 'text', value: 'x'.repeat(TEXT_ANSWER_MAX_LENGTH + 1) }))).toBe('too-long');
		expect(problemOf(checkAnswerShape(text, { type: 'text', value: 7 }))).toBe('malformed');
	});
});
