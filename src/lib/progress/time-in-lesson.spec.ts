import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TimeInLesson } from './time-in-lesson';

let clock: number;
let written: number[];
const tracker = () => new TimeInLesson(async (seconds) => void written.push(seconds), () => clock, 60_000);

beforeEach(() => {
	vi.useFakeTimers();
	clock = 0;
	written = [];
});
afterEach(() => vi.useRealTimers());

// The clock and the timers move together, a tenth of a second at a time.
const pass = async (ms: number) => {
	for (let left = ms; left > 0; left -= 100) {
		clock += Math.min(100, left);
		await vi.advanceTimersByTimeAsync(Math.min(100, left));
	}
};

describe('time in a lesson', () => {
	it('writes a batch a minute while visible, and the rest on leaving', async () => {
		const time = tracker();
		time.resume();
		await pass(150_000);
		expect(written).toEqual([60, 60]);
		await time.stop();
		expect(written).toEqual([60, 60, 30]);
		await pass(120_000);
		expect(written).toHaveLength(3);
	});

	it('does not count time while the screen is hidden, and keeps part-seconds for later', async () => {
		const time = tracker();
		time.resume();
		await pass(10_500);
		await time.pause();
		expect(written).toEqual([10]);
		await pass(600_000);
		time.resume();
		await pass(4_600);
		await time.stop();
		// 0.5 s left over from the first stretch + 4.6 s.
		expect(written).toEqual([10, 5]);
	});

	it('writes nothing for a glance of under a second', async () => {
		const time = tracker();
		time.resume();
		await pass(800);
		await time.stop();
		expect(written).toEqual([]);
	});

	it('keeps the time of a batch that could not be written, for the next one', async () => {
		let failNext = true;
		const time = new TimeInLesson(
			async (seconds) => {
				if (failNext) {
					failNext = false;
					throw new Error('storage full');
				}
				written.push(seconds);
			},
			() => clock,
			60_000
		);
		time.resume();
		await pass(61_000);
		await time.stop();
		expect(written).toEqual([61]);
	});
});

