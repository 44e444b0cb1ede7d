/**
 * Syncs one learner's progress database with their database on the server, both ways, with
 * PouchDB's own replication (one-shot, never live: a live feed holds a connection open and
 * costs heartbeats on prepaid data).
 *
 * When: when it starts (the app opened), when the phone comes back online, every few minutes
 * while online, soon after the learner writes something (debounced, so a quiz's answers go in
 * one sync rather than one each), and when the learner asks ("Sync now"). Never two at once:
 * a trigger during a sync is served by one more sync after it. After a failure that can succeed
 * on retry the next try waits (backoff with jitter); a refusal stops until the learner acts.
 *
 * Everything it needs from the world is passed in (clock, timers, fetch, the remote database,
 * the network), so tests replicate between in-memory databases with a hand-driven clock, and
 * the benchmark runs it in Node. No `$app`, no DOM.
 */
import type PouchDB from 'pouchdb-core';
import type { Change, Replication, ReplicateOptions } from 'pouchdb-core';
import type { Profile } from '../progress-model/profile.js';
import { PROFILE_ID } from '../progress-model/profile.js';
import { learnerCertificateDocId } from '../progress-model/certificate.js';
import { Backoff, isRetryable, type Failure } from './backoff.js';
import { resolveProfileConflicts } from './profile-conflicts.js';
import { syncFetch, type SyncTraffic, type Tokens } from './sync-fetch.js';
import { SyncJournal, type MonthUse } from './sync-journal.js';

export type SyncState = 'local-only' | 'up-to-date' | 'waiting' | 'syncing' | 'offline' | 'sign-in-needed' | 'error';

/** Why a sync was refused: `refused` (400), `forbidden` (403: the account does not own this database), `too-large` (413 even one document at a time). */
export type SyncProblem = 'refused' | 'forbidden' | 'too-large';

export interface SyncStatus {
	state: SyncState;
	/** Local changes not pushed yet. */
	changesWaiting: number;
	/** ISO time of the last sync that went through both ways. */
	lastSyncAt?: string;
	/** `waiting`: for Wi-Fi (the learner chose Wi-Fi only) or to try again after a failure. */
	waitingFor?: 'wifi' | 'retry';
	/** `waiting` for a retry: when (ISO). */
	retryAt?: string;
	/** `error`: what the server refused. */
	problem?: SyncProblem;
}

export interface Network {
	/** False only when the phone is sure it has no network (`navigator.onLine`). */
	online(): boolean;
	/** True when the phone reports a cellular connection; false on Wi-Fi, and when it does not say. */
	cellular(): boolean;
	/** Calls back when the phone goes online or offline, or changes connection type; returns a function that stops. */
	watch(onChange: (what: 'online' | 'offline' | 'type') => void): () => void;
}

export interface Timers {
	setTimeout(run: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

export type LocalDb = PouchDB<object>;
export type Replicate = (source: PouchDB<object>, target: PouchDB<object>, options: ReplicateOptions) => Replication;

export interface SyncEngineOptions {
	/** The learner's database on the phone. */
	local: LocalDb;
	/** The learner's database on the server, reached with the given fetch: `new PouchDB(url, { fetch, skip_setup: true })`. */
	openRemote: (syncingFetch: typeof globalThis.fetch) => PouchDB<object>;
	replicate: Replicate;
	tokens: Tokens & { readonly signInNeeded: boolean };
	network: Network;
	/** The learner's setting: sync automatically only on Wi-Fi. */
	wifiOnly?: () => boolean;
	/** Called with the profile after a pull changed it (conflicts already merged), to refresh what the phone shows. */
	onProfile?: (profile: Profile) => Promise<void>;
	/** Runs one sync while no other tab syncs the same learner (Web Locks in the browser). */
	exclusive?: <T>(run: () => Promise<T>) => Promise<T>;
	fetch?: typeof fetch;
	now?: () => number;
	timers?: Timers;
	random?: () => number;
	periodMs?: number;
	writeQuietMs?: number;
	writeMaxWaitMs?: number;
}

/** Changes per request. PouchDB's default (100) makes a month of a learner's events (~1,500)
 * cost 15 rounds of `_revs_diff` + `_bulk_docs`; 500 makes it 3, and 500 small events (~150 KB
 * of JSON, ~25 KB gzipped) stay well under the server's 1 MiB body limit. A batch the server
 * still finds too large (413) is halved and sent again. */
const BATCH_SIZE = 500;
const SMALLEST_BATCH = 1;
/** Batches read ahead of the one being written: two keeps a cheap phone's memory bounded
 * (2 × 500 documents) while the next `_changes` request overlaps the current write. */
const BATCHES_LIMIT = 2;
export const SYNC_PERIOD_MS = 5 * 60_000;

/** Ids of the certificates of these courses that are not on the phone. */
async function certificatesMissing(local: PouchDB<object>, courses: Set<string>): Promise<string[]> {
	const ids = [...courses].map(learnerCertificateDocId);
	const { rows } = await local.allDocs({ keys: ids });
	return rows.filter((row) => !('value' in row) || row.value === undefined || row.value.deleted).map((row) => row.key);
}

/** The course of a pushed document on which the server may issue a certificate (a lesson or quiz completed). */
const completedCourse = (doc: object): string | undefined => {
	const { _id, type, courseId } = doc as { _id?: unknown; type?: unknown; courseId?: unknown };
	const completion = typeof _id === 'string' && _id.startsWith('event:') && (type === 'lesson-completed' || type === 'quiz-submitted');
	return completion && typeof courseId === 'string' ? courseId : undefined;
};
/** A write is synced after this much quiet, so the answers of a quiz go up together… */
export const WRITE_QUIET_MS = 15_000;
/** …but never later than this after the first of them. */
export const WRITE_MAX_WAIT_MS = 60_000;

export class SyncEngine {
	private current: SyncStatus = { state: 'waiting', changesWaiting: 0 };
	private readonly listeners = new Set<(status: SyncStatus) => void>();
	private readonly backoff: Backoff;
	private readonly journal: SyncJournal;
	private readonly timers: Timers;
	private readonly now: () => number;
	private timer: { handle: unknown; due: number; why: 'period' | 'retry' | 'write' } | undefined;
	private running: Promise<void> | undefined;
	private again = false;
	private againManual = false;
	private stopped = true;
	private stopWatching: Array<() => void> = [];
	private replications: Replication[] = [];
	private batchSize = BATCH_SIZE;
	private pushedSeq: number | string = 0;
	/** Documents the server sent us (id → rev): they are not local changes waiting to go up. */
	private readonly pulled = new Map<string, string>();
	/** Ids changed on the phone since the last push. */
	private readonly waitingIds = new Set<string>();
	private changesDuringSync: Change[] = [];
	private replicating = false;
	private firstUnsyncedWriteAt: number | undefined;

	constructor(private readonly options: SyncEngineOptions) {
		this.now = options.now ?? Date.now;
		this.timers = options.timers ?? { setTimeout: (run, ms) => setTimeout(run, ms), clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>) };
		this.backoff = new Backoff({ random: options.random });
		this.journal = new SyncJournal(options.local, this.now);
	}

	get status(): SyncStatus {
		return this.current;
	}

	/** Calls back now and on every change of status; returns a function that stops. */
	subscribe(listener: (status: SyncStatus) => void): () => void {
		this.listeners.add(listener);
		listener(this.current);
		return () => this.listeners.delete(listener);
	}

	/** Reads what the phone remembers, starts following writes and the network, and syncs. */
	async start(): Promise<void> {
		if (!this.stopped) return;
		this.stopped = false;
		const journal = await this.journal.read();
		this.pushedSeq = journal.pushedSeq ?? 0;
		await this.countWaiting();
		this.set({ state: this.options.tokens.signInNeeded ? 'sign-in-needed' : 'waiting', lastSyncAt: journal.lastSyncAt });

		const feed = this.options.local.changes({ since: 'now', live: true }).on('change', (change) => this.onLocalChange(change));
		this.stopWatching.push(() => feed.cancel());
		this.stopWatching.push(
			this.options.network.watch((what) => {
				// Back online, or off mobile data: whatever waited can go now, without the backoff's wait.
				if (what === 'online' || (what === 'type' && this.current.waitingFor === 'wifi')) {
					this.backoff.reset();
					void this.drive(false);
				} else if (what === 'offline' && this.current.state !== 'syncing') {
					this.set({ state: 'offline' });
				}
			})
		);
		void this.drive(false);
	}

	/** Stops syncing (the learner changed, or signed out): timers, feeds and a running sync end. */
	stop(): void {
		this.stopped = true;
		this.clearTimer();
		for (const stop of this.stopWatching) stop();
		this.stopWatching = [];
		for (const replication of this.replications) replication.cancel();
	}

	/** The learner asked: sync now, without waiting for the backoff, and also on mobile data. */
	syncNow(): Promise<void> {
		this.backoff.reset();
		return this.drive(true);
	}

	/** The bytes this learner's syncs used in the phone's current month. */
	thisMonth(): Promise<MonthUse> {
		return this.journal.thisMonth();
	}

	/** Resolves when no sync is running. */
	async idle(): Promise<void> {
		while (this.running) await this.running;
	}

	private drive(manual: boolean): Promise<void> {
		if (this.stopped) return Promise.resolve();
		if (this.running) {
			this.again = true;
			this.againManual ||= manual;
			return this.running;
		}
		const exclusive = this.options.exclusive ?? ((run) => run());
		this.running = (async () => {
			let asked = manual;
			do {
				this.again = false;
				this.againManual = false;
				await exclusive(() => this.syncOnce(asked));
				asked = this.againManual;
			} while (this.again && !this.stopped);
		})().finally(() => {
			this.running = undefined;
		});
		return this.running;
	}

	private async syncOnce(manual: boolean): Promise<void> {
		this.replicating = true;
		try {
			await this.attemptSync(manual);
		} finally {
			this.replicating = false;
			const changes = this.changesDuringSync;
			this.changesDuringSync = [];
			for (const change of changes) this.onLocalChange(change);
		}
	}

	private async attemptSync(manual: boolean): Promise<void> {
		this.clearTimer();
		if (this.options.tokens.signInNeeded) return this.set({ state: 'sign-in-needed', waitingFor: undefined });
		if (!this.options.network.online()) return this.set({ state: 'offline', waitingFor: undefined });
		if (!manual && this.options.wifiOnly?.() && this.options.network.cellular()) return this.set({ state: 'waiting', waitingFor: 'wifi' });

		this.set({ state: 'syncing', waitingFor: undefined, retryAt: undefined, problem: undefined });
		const traffic: SyncTraffic = { sent: 0, received: 0, requests: 0 };
		let outcome: Attempt;
		for (;;) {
			outcome = await this.replicateBothWays(traffic);
			// The server's body limit: smaller batches until one document at a time.
			const tooLarge = outcome.failure?.kind === 'http' && outcome.failure.status === 413;
			if (!tooLarge || this.batchSize <= SMALLEST_BATCH || this.stopped) break;
			this.batchSize = Math.max(SMALLEST_BATCH, Math.floor(this.batchSize / 2));
		}
		if (this.stopped) return;
		if (outcome.pulledAny) await this.afterPull(outcome.pulledProfile);

		const ok = outcome.failure === undefined && !outcome.signInNeeded;
		if (outcome.pushedSeq !== undefined) this.pushedSeq = outcome.pushedSeq;
		await this.countWaiting();
		// Once nothing waits, the pushed mark moves past what the pull wrote, so it is never counted again.
		if (ok && this.waitingIds.size === 0) this.pushedSeq = (await this.options.local.info()).update_seq;
		const entry = await this.journal.record({ ok, sent: traffic.sent, received: traffic.received, pushedSeq: outcome.pushedSeq === undefined ? undefined : this.pushedSeq });

		if (outcome.signInNeeded) return this.set({ state: 'sign-in-needed', lastSyncAt: entry.lastSyncAt });
		if (ok) {
			this.backoff.reset();
			this.firstUnsyncedWriteAt = this.waitingIds.size > 0 ? this.now() : undefined;
			this.set({ state: this.waitingIds.size > 0 ? 'waiting' : 'up-to-date', lastSyncAt: entry.lastSyncAt });
			if (this.waitingIds.size > 0) this.scheduleWrite();
			else this.schedule(this.options.periodMs ?? SYNC_PERIOD_MS, 'period');
			return;
		}
		const failure = outcome.failure ?? { kind: 'network' };
		if (!isRetryable(failure)) {
			const status = failure.kind === 'http' ? failure.status : 0;
			return this.set({ state: 'error', problem: status === 403 ? 'forbidden' : status === 413 ? 'too-large' : 'refused', lastSyncAt: entry.lastSyncAt });
		}
		const wait = this.backoff.next(failure.kind === 'http' ? failure.retryAfterMs : undefined);
		this.schedule(wait, 'retry');
		const offline = failure.kind === 'network';
		this.set({
			state: offline ? 'offline' : 'waiting',
			waitingFor: offline ? undefined : 'retry',
			retryAt: new Date(this.now() + wait).toISOString(),
			lastSyncAt: entry.lastSyncAt
		});
	}

	/** Push and pull at once (their round trips overlap); each keeps its own checkpoint even if the other fails. */
	private async replicateBothWays(traffic: SyncTraffic): Promise<Attempt> {
		const connection = syncFetch({ tokens: this.options.tokens, fetch: this.options.fetch, now: this.now });
		const remote = this.options.openRemote(connection.fetch);
		// PouchDB's replicator asks the source database for `info()` only to fill in its progress
		// figures (active tasks, which Sikho does not show): once at the start of the pull and again
		// after every batch — a round trip each on 2G, and after a batch without a `catch`, so a
		// connection dropped at that moment became an unhandled rejection. The answer is not needed.
		remote.info = async () => ({ db_name: 'remote', doc_count: 0, update_seq: 0 });
		const local = this.options.local;
		let pulledAny = false;
		let pulledProfile = false;
		const options: ReplicateOptions = {
			batch_size: this.batchSize,
			batches_limit: BATCHES_LIMIT,
			retry: false
		};
		// Checkpoints only on the phone: PouchDB would otherwise read the server's checkpoint before
		// each direction starts and GET + PUT it after each batch — three more round trips each way,
		// each 0.3–1 s on 2G. The cost: if the server lost data and was restored from an older copy
		// under the same id, the phone would not resend what it believes was sent; a server restored
		// so must change its id (`GET /sync/`'s uuid), which gives every phone a fresh replication.
		const completedCourses = new Set<string>();
		const push = this.options.replicate(local, remote, { ...options, checkpoint: 'source' }).on('change', (info) => {
			for (const doc of info.docs) {
				const courseId = completedCourse(doc);
				if (courseId) completedCourses.add(courseId);
			}
		});
		const pullDown = () =>
			this.options.replicate(remote, local, { ...options, checkpoint: 'target' }).on('change', (info) => {
				for (const doc of info.docs) {
					if (doc._rev) this.pulled.set(doc._id, doc._rev);
					pulledAny = true;
					if (doc._id === PROFILE_ID) pulledProfile = true;
				}
			});
		const pull = pullDown();
		this.replications = [push, pull];
		let [pushed, pulledResult] = await Promise.allSettled([push, pull]);
		// A pushed completion may have earned a certificate, written by the server as it stored the
		// push; the pull running alongside may have finished before it. One look at the server's
		// changes since that pull, for the certificates this phone lacks (one request), tells; only
		// if one is there does a pull follow, so it arrives now rather than at the next periodic sync.
		if (completedCourses.size > 0 && pushed.status === 'fulfilled' && pulledResult.status === 'fulfilled' && !this.stopped) {
			const missing = await certificatesMissing(local, completedCourses);
			const since = pulledResult.value.last_seq;
			const news = missing.length > 0 ? await Promise.resolve(remote.changes({ since, doc_ids: missing })).catch(() => undefined) : undefined;
			if (news && news.results.length > 0 && !this.stopped) {
				const again = pullDown();
				this.replications = [again];
				[pulledResult] = await Promise.allSettled([again]);
			}
		}
		this.replications = [];
		traffic.sent += connection.traffic.sent;
		traffic.received += connection.traffic.received;
		traffic.requests += connection.traffic.requests;

		const failed = pushed.status === 'rejected' || pulledResult.status === 'rejected';
		return {
			pushedSeq: pushed.status === 'fulfilled' ? pushed.value.last_seq : undefined,
			pulledAny,
			pulledProfile,
			signInNeeded: connection.signInNeeded,
			// A failed replication with no failed request behind it (a local fault) is retried like a dropped network.
			failure: failed ? (connection.lastFailure ?? { kind: 'network' }) : undefined
		};
	}

	/** The profile may have come down changed, or in conflict with the phone's: merge, then let the phone show it. */
	private async afterPull(pulledProfile: boolean): Promise<void> {
		if (!pulledProfile) return;
		const profile = await resolveProfileConflicts(this.options.local);
		if (profile) await this.options.onProfile?.(profile);
	}

	private onLocalChange(change: Change): void {
		if (this.stopped) return;
		// During a sync a change may be one the pull is writing: judged once the pull has said what it wrote.
		if (this.replicating) {
			this.changesDuringSync.push(change);
			return;
		}
		if (this.pulled.get(change.id) === change.changes[0]?.rev) return;
		// Reported late, for a document the last sync already covered (pushed, or written by the pull).
		if (typeof change.seq === 'number' && typeof this.pushedSeq === 'number' && change.seq <= this.pushedSeq) return;
		this.waitingIds.add(change.id);
		this.firstUnsyncedWriteAt ??= this.now();
		const state = this.current.state === 'up-to-date' ? 'waiting' : this.current.state;
		this.set({ state, changesWaiting: this.waitingIds.size });
		this.scheduleWrite();
	}

	/** Counts local changes since the last push that did not come from the server. */
	private async countWaiting(): Promise<void> {
		const { results } = await this.options.local.changes({ since: this.pushedSeq });
		this.waitingIds.clear();
		for (const change of results) {
			if (this.pulled.get(change.id) !== change.changes[0]?.rev) this.waitingIds.add(change.id);
		}
		if (this.waitingIds.size === 0) this.pulled.clear();
		this.set({ changesWaiting: this.waitingIds.size });
	}

	private scheduleWrite(): void {
		// A retry's wait is not cut short by writes (they would hammer a failing server), nor is a refusal retried by them.
		if (this.timer?.why === 'retry' || this.current.state === 'error' || this.current.state === 'sign-in-needed') return;
		const now = this.now();
		const first = this.firstUnsyncedWriteAt ?? now;
		const due = Math.min(now + (this.options.writeQuietMs ?? WRITE_QUIET_MS), first + (this.options.writeMaxWaitMs ?? WRITE_MAX_WAIT_MS));
		// A periodic sync due sooner takes these writes anyway; a pending write sync is pushed back (debounce).
		if (this.timer?.why === 'period' && this.timer.due <= due) return;
		this.schedule(Math.max(0, due - now), 'write');
	}

	private schedule(ms: number, why: 'period' | 'retry' | 'write'): void {
		this.clearTimer();
		if (this.stopped) return;
		const handle = this.timers.setTimeout(() => {
			this.timer = undefined;
			void this.drive(false);
		}, ms);
		this.timer = { handle, due: this.now() + ms, why };
	}

	private clearTimer(): void {
		if (this.timer) this.timers.clearTimeout(this.timer.handle);
		this.timer = undefined;
	}

	private set(change: Partial<SyncStatus>): void {
		const next = { ...this.current, ...change };
		if (next.state !== 'waiting') {
			delete next.waitingFor;
			delete next.retryAt;
		}
		if (next.state !== 'error') delete next.problem;
		this.current = next;
		for (const listener of this.listeners) listener(next);
	}
}

interface Attempt {
	pushedSeq: number | string | undefined;
	pulledAny: boolean;
	pulledProfile: boolean;
	signInNeeded: boolean;
	failure: Failure | undefined;
}
