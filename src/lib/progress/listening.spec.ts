import { describe, expect, it } from 'vitest';
import { heardFraction, mergeStretches } from './listening';

describe('listening', () => {
	it('merges what was heard over several sittings, counting repeats once', () => {
		expect(mergeStretches([[0, 10], [30, 40]], [[5, 20], [39.9, 50]], [[60, 60]])).toEqual([
			[0, 20],
			[30, 50]
		]);
		expect(heardFraction([[0, 45], [40, 90], [0, 10]], 100)).toBeCloseTo(0.9);
	});

	it('does not count skipping ahead, nonsense, or beyond the end', () => {
		expect(heardFraction([[95, 100]], 100)).toBeCloseTo(0.05);
		expect(heardFraction([[Number.NaN, 5], [10, 5], [0, Infinity]], 100)).toBe(0);
		expect(heardFraction([[0, 500]], 100)).toBe(1);
		expect(heardFraction([[0, 5]], Number.NaN)).toBe(0);
	});
});
