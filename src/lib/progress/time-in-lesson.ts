/**
 * Time a learner spends in a lesson, counted only while the screen is visible and written in
 * batches — every minute and when they leave — never per tick: each batch is one small event,
 * and a cheap phone's storage is not worn by a write every second.
 */
import { MAX_SECONDS_PER_BATCH } from '$lib/progress-model/events';

export class TimeInLesson {
	private runningSince: number | undefined;
	private counted = 0;
	private timer: ReturnType<typeof setInterval> | undefined;

	constructor(
		private readonly write: (seconds: number) => Promise<unknown>,
		private readonly now: () => number = () => performance.now(),
		private readonly batchMs = 60_000
	) {}

	/** The lesson is on screen. */
	resume(): void {
		if (this.runningSince !== undefined) return;
		this.runningSince = this.now();
		this.timer ??= setInterval(() => void this.flush(false), this.batchMs);
	}

	/** The screen is hidden (another app, screen off): stop counting and write what was counted. */
	pause(): Promise<void> {
		if (this.runningSince !== undefined) this.counted += this.now() - this.runningSince;
		this.runningSince = undefined;
		return this.flush(true);
	}

	/** The learner left the lesson. */
	async stop(): Promise<void> {
		clearInterval(this.timer);
		this.timer = undefined;
		await this.pause();
	}

	private async flush(all: boolean): Promise<void> {
		if (this.runningSince !== undefined) {
			const at = this.now();
			this.counted += at - this.runningSince;
			this.runningSince = at;
		}
		const seconds = Math.min(Math.floor(this.counted / 1000), MAX_SECONDS_PER_BATCH);
		// Under a batch's worth, wait for more, unless the learner is leaving.
		if (seconds < 1 || (!all && this.counted < this.batchMs)) return;
		this.counted -= seconds * 1000;
		try {
			await this.write(seconds);
		} catch {
			// Not stored (storage full): keep the time for the next batch rather than lose it.
			this.counted += seconds * 1000;
		}
	}
}
