import { describe, expect, it } from 'vitest';
import { lockWithPin, pinOpens, readPin } from './pin';

describe('PIN', () => {
	it('reads four digits in the scripts phones offer, and nothing else', () => {
		expect(readPin(' 1234 ')).toBe('1234');
		expect(readPin('१२३४')).toBe('1234');
		expect(readPin('٤٣٢١')).toBe('4321');
		for (const typed of ['123', '12345', '12a4', '', '12 34']) expect(readPin(typed), typed).toBeUndefined();
	});

	it('opens only with the same PIN, and stores no PIN in clear', async () => {
		const lock = await lockWithPin('2580', 1_000);
		expect(JSON.stringify(lock)).not.toContain('2580');
		expect(await pinOpens('2580', lock)).toBe(true);
		expect(await pinOpens('2581', lock)).toBe(false);
		// A fresh salt each time: two learners with one PIN do not share a hash.
		expect((await lockWithPin('2580', 1_000)).hash).not.toBe(lock.hash);
		// A lock it cannot or should not try: another algorithm, or absurdly many iterations.
		expect(await pinOpens('2580', { ...lock, algorithm: 'MD5' })).toBe(false);
		expect(await pinOpens('2580', { ...lock, iterations: 50_000_000 })).toBe(false);
	});
});
