/**
 * A learner in one text or audio lesson: it records the opening, the time spent (in batches),
 * and the completion — a text read to its end, an audio heard to 90 % — once.
 */
import type { CompletionKind } from '$lib/progress-model/events';
import type { Recorder } from './learner-progress';
import { TimeInLesson } from './time-in-lesson';

export interface LessonTarget {
	courseId: string;
	courseVersion: number;
	lessonId: string;
}

export class LessonSession {
	done = $state(false);
	private completing = false;
	private readonly time: TimeInLesson;

	constructor(
		private readonly recorder: Recorder,
		private readonly target: LessonTarget,
		alreadyDone: boolean
	) {
		this.done = alreadyDone;
		this.time = new TimeInLesson((seconds) => this.recorder.record({ ...this.target, type: 'time-spent', seconds }));
	}

	async open(): Promise<void> {
		await this.recorder.record({ ...this.target, type: 'lesson-opened' });
		this.time.resume();
	}

	/** The screen was hidden or shown again (screen off, another app). */
	visible(visible: boolean): void {
		if (visible) this.time.resume();
		else void this.time.pause();
	}

	async complete(how: CompletionKind): Promise<void> {
		if (this.done || this.completing) return;
		this.completing = true;
		try {
			await this.recorder.record({ ...this.target, type: 'lesson-completed', how });
			// Done only once it is on disk: a failed write is tried again the next time the end is reached.
			this.done = true;
		} finally {
			this.completing = false;
		}
	}

	close(): Promise<void> {
		return this.time.stop();
	}
}
