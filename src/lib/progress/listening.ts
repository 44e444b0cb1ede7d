/**
 * How much of a lesson's audio a learner has heard, across sittings: the stretches played are
 * merged, so listening to the first half on Monday and the second on Tuesday counts as the whole,
 * while skipping to the end does not. An audio lesson is done at 90 % heard.
 */
export type Stretch = [start: number, end: number];

export const HEARD_TO_COMPLETE = 0.9;

/** Merges stretches into a sorted list that does not overlap. */
export function mergeStretches(...lists: Stretch[][]): Stretch[] {
	const all = lists
		.flat()
		.filter(([start, end]) => Number.isFinite(start) && Number.isFinite(end) && end > start)
		.sort((a, b) => a[0] - b[0]);
	const merged: Stretch[] = [];
	for (const [start, end] of all) {
		const last = merged.at(-1);
		// Stretches a quarter of a second apart are one: timeupdate events come about that often.
		if (last && start <= last[1] + 0.25) last[1] = Math.max(last[1], end);
		else merged.push([start, end]);
	}
	return merged;
}

export function heardFraction(stretches: Stretch[], duration: number): number {
	if (!(duration > 0)) return 0;
	const heard = mergeStretches(stretches).reduce((sum, [start, end]) => sum + Math.min(end, duration) - Math.max(start, 0), 0);
	return Math.min(1, heard / duration);
}

/** The browser's record of what was played (`audio.played`) as stretches. */
export function stretchesOf(ranges: TimeRanges): Stretch[] {
	return Array.from({ length: ranges.length }, (_, i) => [ranges.start(i), ranges.end(i)] as Stretch);
}
