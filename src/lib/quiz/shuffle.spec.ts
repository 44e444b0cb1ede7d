import { describe, expect, it } from 'vitest';
import type { Question } from '../course-format/quiz.js';
import { presentationOrder } from './shuffle.js';
import { sampleQuestion, sampleQuiz } from './test-support/sample-quiz.js';

const seeds = (count: number) => Array.from({ length: count }, (_, i) => `seed-${i}`);
const idsOf = (question: Question): string[] => {
	if (question.type === 'single' || question.type === 'multiple') return question.options.map((o) => o.id);
	if (question.type === 'matching') return question.pairs.map((p) => p.id);
	if (question.type === 'ordering') return question.items.map((i) => i.id);
	return [];
};
const shownIds = (question: Question, seed: string) => {
	const shown = presentationOrder({ questions: [question] }, seed)[question.id];
	return shown?.options ?? shown?.rights ?? shown?.items ?? [];
};

describe('presentationOrder', () => {
	it('gives the same order for the same seed, pinned so a change of algorithm is noticed', () => {
		// If this changes on purpose, bump PRESENTATION_ORDER_VERSION: stored attempts would reorder.
		expect(presentationOrder(sampleQuiz, 'golden-seed')).toEqual({
			'late-bid': { options: ['b', 'a', 'c', 'd'] },
			'opening-record': { options: ['b', 'a', 'd', 'e', 'c'] },
			sealed: {},
			'standstill-days': {},
			principle: {},
			'evaluation-terms': { rights: ['standstill', 'responsive', 'qualified'] },
			'award-steps': { items: ['sign', 'open', 'evaluate', 'notify'] }
		});
		expect(presentationOrder(sampleQuiz, 'another')).toEqual(presentationOrder(structuredClone(sampleQuiz), 'another'));
	});

	it('shows every id exactly once', () => {
		for (const seed of seeds(50)) {
			for (const question of sampleQuiz.questions) {
				expect(shownIds(question, seed).toSorted(), `${question.id} ${seed}`).toEqual(idsOf(question).toSorted());
			}
		}
	});

	it('gives different orders for different seeds, each option first about as often', () => {
		const question = sampleQuestion('single');
		const orders = seeds(2000).map((seed) => shownIds(question, seed));
		expect(new Set(orders.map((o) => o.join())).size).toBe(24); // all 4! orders occur
		for (const id of idsOf(question)) {
			const first = orders.filter((o) => o[0] === id).length / orders.length;
			expect(first, id).toBeGreaterThan(0.2);
			expect(first, id).toBeLessThan(0.3);
		}
	});

	it('never starts an ordering question solved', () => {
		const four = sampleQuestion('ordering');
		const two: Question = { ...four, items: four.items.slice(0, 2) };
		for (const seed of seeds(500)) {
			expect(shownIds(four, seed), seed).not.toEqual(idsOf(four));
			expect(shownIds(two, seed), seed).toEqual(['evaluate', 'open']);
		}
	});

	it("keeps each question's order when other questions are added or removed", () => {
		const alone = presentationOrder({ questions: [sampleQuestion('multiple')] }, 'golden-seed');
		expect(alone['opening-record']).toEqual(presentationOrder(sampleQuiz, 'golden-seed')['opening-record']);
	});
});
