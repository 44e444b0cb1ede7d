/**
 * A learner's progress as the phone writes it, for sync tests: real events (the progress model's
 * `newEvent`, through the test scribe) in the mix a learner makes — lessons opened, time in
 * batches, lessons finished, now and then a quiz with its answers and a submission.
 */
import type { ProgressEvent } from '../../src/lib/progress-model/events.js';
import { scribe } from '../../src/lib/progress-model/test-support/history.js';

export interface HistoryOptions {
	learnerId: string;
	count: number;
	/** Different seeds: different phones, whose event ids never collide. */
	seed: number;
	/** Lesson numbers start here, so two phones of one learner work on different lessons. */
	firstLesson?: number;
	/** When the first event happens (ISO). */
	start?: string;
}

/** Exactly `count` events, every fourth lesson a quiz. */
export function learnerHistory({ learnerId, count, seed, firstLesson = 1, start = '2026-11-02T08:00:00.000Z' }: HistoryOptions): ProgressEvent[] {
	const write = scribe({ learnerId, seed, start });
	const events: ProgressEvent[] = [];
	for (let lesson = firstLesson; events.length < count; lesson++) {
		const lessonId = `lesson-${lesson}`;
		events.push(write.opened(lessonId));
		if (lesson % 4 === 0) {
			const attemptId = `01JQ${String(seed % 1e6).padStart(6, '0')}${String(lesson).padStart(16, '0')}`;
			events.push(write.started(lessonId, attemptId, lesson * 7919, 'en'));
			for (let q = 1; q <= 5; q++) events.push(write.answered(lessonId, attemptId, `q${q}`, { type: 'single', optionId: `option-${((q * lesson) % 4) + 1}` }));
			events.push(write.submitted(lessonId, attemptId, 80));
		} else {
			for (let batch = 0; batch < 3; batch++) events.push(write.wait(29_000).spent(lessonId, 30));
			events.push(write.completed(lessonId));
		}
	}
	return events.slice(0, count);
}
