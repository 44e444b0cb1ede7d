/**
 * Tells a waiting long-poll that its database was written. In the embedded store every write goes
 * through this process (LevelDB's lock allows no other), so a long-poll needs no open database
 * while it waits: it holds no LevelDB handle, and thousands of phones may wait at once.
 */
export class DatabaseWrites {
	private readonly waiting = new Map<string, Set<() => void>>();

	/** Every waiter on `name` wakes. */
	written(name: string): void {
		const waiters = this.waiting.get(name);
		if (!waiters) return;
		this.waiting.delete(name);
		for (const wake of waiters) wake();
	}

	/** Every waiter wakes (the store is closing: their polls answer now rather than hold a shutdown). */
	wakeAll(): void {
		for (const name of [...this.waiting.keys()]) this.written(name);
	}

	/**
	 * A wait for the next write to `name`, begun now (before the caller reads the changes, so a
	 * write in between is not missed). It settles on that write, after `ms`, or on `signal`;
	 * `cancel` ends it early and forgets it.
	 */
	next(name: string, ms: number, signal?: AbortSignal): { settled: Promise<void>; cancel: () => void } {
		let cancel = () => {};
		const settled = new Promise<void>((resolve) => {
			const waiters = this.waiting.get(name) ?? new Set<() => void>();
			this.waiting.set(name, waiters);
			const done = () => {
				clearTimeout(timer);
				signal?.removeEventListener('abort', done);
				waiters.delete(done);
				if (waiters.size === 0 && this.waiting.get(name) === waiters) this.waiting.delete(name);
				resolve();
			};
			const timer = setTimeout(done, Math.max(0, ms));
			signal?.addEventListener('abort', done, { once: true });
			if (signal?.aborted) done();
			else waiters.add(done);
			cancel = done;
		});
		return { settled, cancel };
	}

	/** How many waits are pending (for tests and the health of long-polls). */
	get waiters(): number {
		let count = 0;
		for (const set of this.waiting.values()) count += set.size;
		return count;
	}
}
