/**
 * What a learner's phone has to sync, for the sync benchmarks: real progress events, written by
 * the progress model's own writer (`newEvent`, through the test scribe), in the mix a learner
 * makes them — lessons opened, time in 30-second batches, lessons finished, quiz attempts with
 * their answers and a submission — and the profile document.
 */
import type { ProgressEvent } from '../src/lib/progress-model/events';
import { PROFILE_ID, type Profile } from '../src/lib/progress-model/profile';
import { scribe } from '../src/lib/progress-model/test-support/history';

export interface HistoryOptions {
	learnerId: string;
	count: number;
	/** Different seeds: different phones (their ids never collide). */
	seed: number;
	/** When the first event happens (ISO). */
	start: string;
	courseId?: string;
	/** Lesson numbers start here, so a second phone works on other lessons. */
	firstLesson?: number;
}

/** Exactly `count` events of one learner working through a course, every fifth lesson a quiz. */
export function learnerEvents({ learnerId, count, seed, start, courseId = 'public-procurement-essentials', firstLesson = 1 }: HistoryOptions): ProgressEvent[] {
	const s = scribe({ learnerId, courseId, seed, start });
	const events: ProgressEvent[] = [];
	for (let lesson = firstLesson; events.length < count; lesson++) {
		const lessonId = `lesson-${lesson}`;
		events.push(s.opened(lessonId));
		if (lesson % 5 === 0) {
			const attemptId = `01JN${String(seed).padStart(6, '0')}${String(lesson).padStart(16, '0')}`;
			events.push(s.started(lessonId, attemptId, lesson * 7919, 'en'));
			for (let q = 1; q <= 10; q++) events.push(s.answered(lessonId, attemptId, `q${q}`, { type: 'single', optionId: `option-${((q * lesson) % 4) + 1}` }));
			events.push(s.submitted(lessonId, attemptId, 80, true));
		} else {
			for (let batch = 0; batch < 6; batch++) events.push(s.wait(29_000).spent(lessonId, 30));
			events.push(s.completed(lessonId, lesson % 3 === 0 ? 'listened' : 'read-to-end'));
		}
	}
	return events.slice(0, count);
}

export function profileDoc(name: string, district: string, at: string): Profile {
	return { _id: PROFILE_ID, format: 1, name, district, language: 'en', createdAt: at, updatedAt: { name: at, district: at, language: at } };
}
