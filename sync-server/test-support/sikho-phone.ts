/**
 * A learner's phone for fault tests, run in Node against a real server: the app's own sync client
 * (src/lib/sync: `SyncEngine`, its `syncFetch`, `TokenSession`, `accountApi`) on a PouchDB in
 * memory. Only what the browser supplies is replaced: the network is always up and on Wi-Fi, and
 * the engine's timers never fire, so no sync starts unless the test asks (`sync()`): a cut or a
 * restart is then followed by exactly the sync the test runs, not by a retry it did not plan.
 */
import { accountApi, type AccountSession } from '../../src/lib/sync/account-api.js';
import { TokenSession, type LearnerAccount } from '../../src/lib/sync/session.js';
import { SyncEngine, type Network, type SyncStatus, type Timers } from '../../src/lib/sync/sync-engine.js';
import { memoryDb, PouchDB } from '../../src/lib/sync/test-support/memory-pouch.js';

const alwaysOnWifi: Network = { online: () => true, cellular: () => false, watch: () => () => undefined };
/** The engine schedules retries and periodic syncs; here they never come due. */
const stoppedTimers: Timers = { setTimeout: () => undefined, clearTimeout: () => undefined };

export interface PhoneOptions {
	/** Where the phone reaches the server (a fault proxy's origin, or the server itself). */
	origin: string;
	/** What register or login answered. */
	session: AccountSession;
	/** The phone's clock (default: the system's). */
	now?: () => number;
}

export class SikhoPhone {
	/** The learner's database on the phone. */
	readonly local = memoryDb('phone');
	/** Every change of the account the phone kept (a refreshed access token). */
	readonly saved: LearnerAccount[] = [];
	readonly tokens: TokenSession;
	readonly engine: SyncEngine;
	private started = false;

	constructor(options: PhoneOptions) {
		const { session, origin } = options;
		this.tokens = new TokenSession({
			account: { username: 'learner', db: session.db, refreshToken: session.refreshToken, accessToken: session.accessToken, accessExpiresAt: session.accessExpiresAt },
			api: accountApi({ baseUrl: origin }),
			save: async (account) => void this.saved.push(account),
			now: options.now
		});
		const url = `${origin}/sync/${encodeURIComponent(session.db)}`;
		this.engine = new SyncEngine({
			local: this.local,
			openRemote: (fetch) => new PouchDB(url, { fetch, skip_setup: true }),
			replicate: (source, target, replicateOptions) => PouchDB.replicate(source, target, replicateOptions),
			tokens: this.tokens,
			network: alwaysOnWifi,
			timers: stoppedTimers,
			now: options.now
		});
	}

	/**
	 * One sync both ways, as the app runs it; resolves with the status after it (a failed sync
	 * resolves too, as `offline` or `waiting` for a retry). The first starts the engine, which
	 * syncs at once; later ones are the learner's "Sync now".
	 */
	async sync(): Promise<SyncStatus> {
		if (this.started) {
			await this.engine.syncNow();
		} else {
			this.started = true;
			await this.engine.start();
			await this.engine.idle();
		}
		return this.engine.status;
	}

	stop(): void {
		this.engine.stop();
	}

	/** Every document on the phone (not `_local`): id → winning revision. */
	async revisions(): Promise<Map<string, string>> {
		const { rows } = await this.local.allDocs();
		return new Map(rows.map((row) => [row.id, row.value.rev]));
	}
}
