/**
 * The embedded store's open LevelDB handles, at most `max` of them. Each open LevelDB holds file
 * handles and a lock, so ten thousand learners cannot all stay open: the least recently used
 * handle is closed once more than `max` are open, but never while a request is using it (each
 * use is counted). A handle being closed is waited for before its database is opened again,
 * because LevelDB's lock allows one opener at a time.
 */
export interface Closable {
	close(): Promise<void>;
}

interface Entry<T> {
	handle: T;
	users: number;
}

export class OpenDatabases<T extends Closable> {
	// A Map iterates in insertion order; every use moves its entry to the end, so the first
	// entries are the least recently used.
	private readonly entries = new Map<string, Entry<T>>();
	private readonly closing = new Map<string, Promise<void>>();

	constructor(
		private readonly open: (name: string) => T,
		private readonly max: number
	) {
		if (!Number.isInteger(max) || max < 1) throw new RangeError(`at least one database must be allowed open, not ${max}`);
	}

	/** How many handles are open now (closing ones not counted). */
	get openCount(): number {
		return this.entries.size;
	}

	/** Runs `work` with the database open; it stays open until `work` settles. */
	async use<R>(name: string, work: (handle: T) => Promise<R>): Promise<R> {
		const entry = await this.acquire(name);
		try {
			return await work(entry.handle);
		} finally {
			entry.users--;
			this.closeLeastRecentlyUsed();
		}
	}

	/** Closes every handle; in-flight work should be over (the server closes after its requests). */
	async closeAll(): Promise<void> {
		const closing = [...this.entries.keys()].map((name) => this.startClosing(name));
		this.entries.clear();
		await Promise.all([...closing, ...this.closing.values()]);
	}

	private async acquire(name: string): Promise<Entry<T>> {
		for (let closing = this.closing.get(name); closing; closing = this.closing.get(name)) await closing;
		// No await from here on: the entry is found or made, and counted, in one step.
		let entry = this.entries.get(name);
		if (entry) this.entries.delete(name);
		else entry = { handle: this.open(name), users: 0 };
		this.entries.set(name, entry);
		entry.users++;
		this.closeLeastRecentlyUsed();
		return entry;
	}

	private closeLeastRecentlyUsed(): void {
		for (const [name, entry] of this.entries) {
			if (this.entries.size <= this.max) return;
			if (entry.users > 0) continue;
			this.startClosing(name);
			this.entries.delete(name);
		}
	}

	private startClosing(name: string): Promise<void> {
		const entry = this.entries.get(name);
		if (!entry) return Promise.resolve();
		// A failed close leaves nothing to retry (the handle is gone either way); the next open
		// reports any real problem with the database.
		const closed = entry.handle
			.close()
			.catch(() => undefined)
			.finally(() => this.closing.delete(name));
		this.closing.set(name, closed);
		return closed;
	}
}
