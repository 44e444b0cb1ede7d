/**
 * A sync engine wired to a fake sync-server, an in-memory phone database, a hand-driven clock
 * and a network the test switches: everything the engine touches, under the test's control.
 */
import { scribe } from '$lib/progress-model/test-support/history';
import { newProfile } from '$lib/progress-model/profile';
import { AccountError } from '../account-api';
import { SyncEngine, type Network, type SyncEngineOptions, type SyncStatus, type Timers } from '../sync-engine';
import { TokenSession, type LearnerAccount } from '../session';
import { DB_NAME, FakeSyncServer, ORIGIN } from './fake-sync-server';
import { memoryDb, PouchDB } from './memory-pouch';

export const LEARNER_ID = '3f2b8c1e-7d4a-4e0b-9a51-2c6f0d8e4b17';
export const START = Date.parse('2026-03-10T09:00:00.000Z');

/** Timers that fire only when the test moves the clock. */
export class ManualClock implements Timers {
	time = START;
	private next = 1;
	readonly pending = new Map<number, { due: number; run: () => void }>();

	now = () => this.time;

	setTimeout(run: () => void, ms: number): unknown {
		const id = this.next++;
		this.pending.set(id, { due: this.time + ms, run });
		return id;
	}

	clearTimeout(handle: unknown): void {
		this.pending.delete(handle as number);
	}

	/** When the earliest timer is due, in ms from now; undefined when none is set. */
	nextIn(): number | undefined {
		const dues = [...this.pending.values()].map((t) => t.due);
		return dues.length ? Math.min(...dues) - this.time : undefined;
	}

	/** Moves the clock on and fires every timer that comes due. */
	advance(ms: number): void {
		this.time += ms;
		for (const [id, timer] of [...this.pending]) {
			if (timer.due <= this.time) {
				this.pending.delete(id);
				timer.run();
			}
		}
	}
}

export class FakeNetwork implements Network {
	isOnline = true;
	isCellular = false;
	private readonly listeners = new Set<(what: 'online' | 'offline' | 'type') => void>();
	online = () => this.isOnline;
	cellular = () => this.isCellular;
	watch(onChange: (what: 'online' | 'offline' | 'type') => void): () => void {
		this.listeners.add(onChange);
		return () => this.listeners.delete(onChange);
	}
	set(change: { online?: boolean; cellular?: boolean }): void {
		if (change.online !== undefined && change.online !== this.isOnline) {
			this.isOnline = change.online;
			for (const l of this.listeners) l(change.online ? 'online' : 'offline');
		}
		if (change.cellular !== undefined && change.cellular !== this.isCellular) {
			this.isCellular = change.cellular;
			for (const l of this.listeners) l('type');
		}
	}
}

export function rig(options: { account?: Partial<LearnerAccount>; engine?: Partial<SyncEngineOptions> } = {}) {
	const server = new FakeSyncServer();
	const local = memoryDb('phone');
	const clock = new ManualClock();
	const network = new FakeNetwork();
	const saved: LearnerAccount[] = [];
	let refreshes = 0;
	/** What the refresh route does: a new token by default. */
	let refreshAnswer: () => Promise<{ accessToken: string; accessExpiresAt: string }> = async () => {
		const accessToken = `token-${++refreshes + 1}`;
		server.validTokens.add(accessToken);
		return { accessToken, accessExpiresAt: new Date(clock.time + 15 * 60_000).toISOString() };
	};
	const tokens = new TokenSession({
		account: {
			username: 'asha',
			db: DB_NAME,
			refreshToken: 'refresh-1',
			accessToken: 'token-1',
			accessExpiresAt: new Date(START + 15 * 60_000).toISOString(),
			...options.account
		},
		api: { refresh: () => refreshAnswer() },
		save: async (account) => void saved.push(account),
		now: clock.now
	});
	const statuses: SyncStatus[] = [];
	const engine = new SyncEngine({
		local,
		openRemote: (fetch) => new PouchDB(`${ORIGIN}/sync/${DB_NAME}`, { fetch, skip_setup: true }),
		replicate: (source, target, replicateOptions) => PouchDB.replicate(source, target, replicateOptions),
		tokens,
		network,
		fetch: server.fetch,
		now: clock.now,
		timers: clock,
		random: () => 0.5,
		...options.engine
	});
	engine.subscribe((status) => statuses.push(status));
	const writer = scribe({ learnerId: LEARNER_ID, start: '2026-03-10T08:00:00.000Z' });
	return {
		server,
		local,
		clock,
		network,
		engine,
		tokens,
		saved,
		statuses,
		writer,
		get refreshes() {
			return refreshes;
		},
		refuseRefresh() {
			refreshAnswer = async () => {
				throw new AccountError('unauthorized', 'unauthorized', undefined, 401);
			};
		},
		/** Writes n lesson events on the phone. */
		async write(n: number) {
			for (let i = 0; i < n; i++) await local.put(writer.opened(`lesson-${i % 7}`));
		},
		profile: (name: string, at: string) => newProfile({ name, district: 'Sitapur', language: 'hi' }, () => new Date(at)),
		/** Ids of the documents in a database (not `_local`). */
		async ids(db: PouchDB<object>) {
			return (await db.allDocs()).rows.map((row) => row.id);
		}
	};
}

/** Lets PouchDB's own asynchronous steps (change feeds) run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
