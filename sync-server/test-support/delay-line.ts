/**
 * A one-way link with a fixed delay: whatever goes in comes out, in the order it went in, no
 * sooner than `delayMs` after it went in. The proxies use one per direction to emulate the time
 * a packet takes to cross a slow network (half a round trip each way).
 */
export class DelayLine<T> {
	private readonly queue: Array<{ due: number; item: T }> = [];
	private timer: NodeJS.Timeout | undefined;
	private stopped = false;

	constructor(private readonly deliver: (item: T) => void) {}

	/** Hands `item` over after `delayMs` (at once when 0 and nothing is waiting ahead of it). */
	push(item: T, delayMs: number): void {
		if (this.stopped) return;
		if (delayMs <= 0 && this.queue.length === 0) {
			this.deliver(item);
			return;
		}
		// Never due before what is ahead of it: order is the link's promise even if the delay shrinks.
		const due = Math.max(performance.now() + delayMs, this.queue.at(-1)?.due ?? 0);
		this.queue.push({ due, item });
		this.schedule();
	}

	/** Drops whatever is still on its way (the link was cut). */
	stop(): void {
		this.stopped = true;
		this.queue.length = 0;
		clearTimeout(this.timer);
		this.timer = undefined;
	}

	private schedule(): void {
		const next = this.queue[0];
		if (this.timer || !next) return;
		// Timers may fire a little early by performance.now(); the check below re-arms rather than deliver early.
		this.timer = setTimeout(() => {
			this.timer = undefined;
			const now = performance.now();
			while (!this.stopped && this.queue[0] && this.queue[0].due <= now) this.deliver(this.queue.shift()!.item);
			this.schedule();
		}, Math.max(1, Math.ceil(next.due - performance.now())));
	}
}
