/// <reference path="../src/pouchdb.d.ts" />
/**
 * Sikho's server for the sync benchmarks: the built sync-server in its own process (so its memory
 * can be sampled apart from the bench's clients), the embedded store on disk in a temporary
 * DATA_DIR, a stand-in for the built app (the server needs one to start), loopback only.
 *
 * And Sikho's client, the app's own modules run in Node: accounts through `accountApi`
 * (src/lib/sync/account-api.ts), tokens in a `TokenSession`, requests through `syncFetch`
 * (bearer token, gzipped bodies), and one sync as the app makes it: a `SyncEngine` started on the
 * phone's database, left to finish its sync, and stopped. Imported by relative path: the engine
 * and what it imports use no `$lib` alias, so tsx runs them as they are.
 *
 * Accounts and tokens follow docs/sync.md: `POST /api/auth/register` gives `{learnerId,
 * db, accessToken, refreshToken, …}`, replication goes to `/sync/<db>` with `Authorization:
 * Bearer`. While those routes are missing (they answer 404), callers get `{ unavailable }`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import AppPouchDB from 'pouchdb-core';
import { accountApi, AccountError, type AccountSession } from '../src/lib/sync/account-api';
import { TokenSession } from '../src/lib/sync/session';
import { syncFetch } from '../src/lib/sync/sync-fetch';
import { SyncEngine, type Network } from '../src/lib/sync/sync-engine';
import { makeFixture } from '../sync-server/test-support/app-fixture';
import { freePort } from '../tests/support/server-process';
// Registers the memory and http adapters and replication on pouchdb-core (AppPouchDB is that module).
import './node-pouch';
import type { NodePouch, PouchFetch, SyncBothWays } from './node-pouch';

const MAIN = join(process.cwd(), 'sync-server', 'dist', 'sync-server', 'src', 'main.js');

export interface SikhoAccount {
	learnerId: string;
	db: string;
	accessToken: string;
	/** `<server>/sync/<db>`: the learner's database as replication addresses it. */
	dbUrl: string;
	/** The register answer, as the app keeps it on the phone. */
	session: AccountSession;
}

export type Unavailable = { unavailable: string };
/** A side that could not be measured: not there yet (`unavailable`), or broken (`failed`). */
export type NotMeasured = Unavailable | { failed: string };
export const failure = (error: unknown): NotMeasured => ({ failed: error instanceof Error ? error.message : String(error) });

/** Newest modification time of the TypeScript files under `dir`. */
async function newestSource(dir: string): Promise<number> {
	const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
	const times = await Promise.all(files.map(async (f) => (await stat(join(dir, f))).mtimeMs));
	return Math.max(0, ...times);
}

/** Builds the server unless its build is newer than every source it compiles (npm run bench has just built it). */
async function ensureServerBuilt(): Promise<void> {
	const built = await stat(MAIN).then((s) => s.mtimeMs, () => 0);
	const source = Math.max(await newestSource(join(process.cwd(), 'sync-server', 'src')), await newestSource(join(process.cwd(), 'src', 'lib')));
	if (built > source) return;
	console.log('building the sync-server for the sync benchmarks…');
	execFileSync(process.execPath, [join(process.cwd(), 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'sync-server/tsconfig.json'], { stdio: 'inherit' });
}

/** The learner's tokens as the app holds them: the register answer, refreshed from `baseUrl` when the server asks. */
function tokensOf(session: AccountSession, baseUrl: string): TokenSession {
	return new TokenSession({
		account: { username: session.learnerId, db: session.db, refreshToken: session.refreshToken, accessToken: session.accessToken, accessExpiresAt: session.accessExpiresAt },
		api: accountApi({ baseUrl }),
		// The phone keeps a refreshed token in its profile registry; the bench has nowhere to keep it.
		save: async () => {}
	});
}

/** The app's syncing fetch, in the shape PouchDB's http adapter calls it (headers as pairs, body as text). */
function appFetch(tokens: TokenSession): PouchFetch {
	const connection = syncFetch({ tokens });
	return (url, init = {}) => connection.fetch(url, { method: init.method, headers: new Headers([...(init.headers ?? [])]), body: init.body, signal: init.signal });
}

/** A phone on Wi-Fi that never goes offline during the bench. */
const onWifi: Network = { online: () => true, cellular: () => false, watch: () => () => {} };

/**
 * One sync as the app makes it: the app's `SyncEngine`, started on the phone's database (as when
 * the app opens), which syncs at once with its own replication options, its own fetch and a token
 * session made from the register answer; stopped once that sync is over. A new engine each time,
 * as after an app restart; what it remembers between syncs (checkpoints, its journal) is in the
 * phone's database. Counts what was written each way from the engine's own replications.
 */
function engineSync(session: AccountSession): SyncBothWays {
	return async (local, url) => {
		const phone = appDatabase(local);
		const written = { pushed: 0, pulled: 0 };
		const engine = new SyncEngine({
			local: phone,
			openRemote: (fetch) => new AppPouchDB<object>(url, { fetch, skip_setup: true }),
			replicate: (source, target, options) => {
				const replication = AppPouchDB.replicate(source, target, options);
				replication.then(
					(result) => void (source === phone ? (written.pushed += result.docs_written) : (written.pulled += result.docs_written)),
					() => {}
				);
				return replication;
			},
			tokens: tokensOf(session, new URL(url).origin),
			network: onWifi
		});
		try {
			await engine.start();
			await engine.idle();
		} finally {
			engine.stop();
		}
		const { state } = engine.status;
		if (state !== 'up-to-date') throw new Error(`the sync engine ended ${JSON.stringify(engine.status)}, not up-to-date`);
		return written;
	};
}

/**
 * The phone's database as the app's modules type it (src/pouchdb.d.ts). It is one PouchDB object
 * either way — bench/node-pouch.ts types the same module for the benches' own calls.
 */
function appDatabase(local: NodePouch): AppPouchDB<object> {
	if (!(local instanceof AppPouchDB)) throw new Error('the phone database is not a PouchDB of the pouchdb-core the app uses');
	return local;
}

/** What the sync benches need of Sikho's server; `SikhoBench` is the real one. */
export interface SikhoSide {
	readonly url: string;
	/** The server's process, sampled for memory and CPU. */
	readonly pid: number;
	/** How this server was set up, for the report (e.g. which scrypt cost registration used). */
	readonly note: string;
	register(learnerId?: string, n?: number): Promise<SikhoAccount | Unavailable>;
	syncRoutesMissing(account: SikhoAccount): Promise<string | undefined>;
	/** The fetch the app's client uses for this account (the app's `syncFetch`). */
	clientFetch(account: SikhoAccount): PouchFetch;
	/** One sync both ways as the app's client does it (the app's `SyncEngine`). */
	clientSync(account: SikhoAccount): SyncBothWays;
	stop(): Promise<void>;
}

export class SikhoBench implements SikhoSide {

	private constructor(
		private readonly child: ChildProcess,
		private readonly root: string,
		readonly url: string,
		readonly note: string
	) {}

	get pid(): number {
		return this.child.pid!;
	}

	/** A new account, registered by the app's `accountApi`; the learner id is a lower-case UUID as the phone makes it. */
	async register(learnerId: string = randomUUID(), n = 0): Promise<SikhoAccount | Unavailable> {
		let session: AccountSession;
		try {
			session = await accountApi({ baseUrl: this.url }).register({
				username: `bench-${learnerId}`,
				password: 'bench-password-not-secret',
				name: `Learner ${n}`,
				district: 'Pune',
				learnerId,
				language: 'en'
			});
		} catch (error) {
			if (!(error instanceof AccountError)) throw error;
			if (error.status === 404) return { unavailable: 'POST /api/auth/register answers 404 (accounts not merged yet)' };
			if (error.status === 429) return { unavailable: `registration refused with 429 (rate limit, retry after ${error.retryAfterMs} ms); the bench needs a way to register its learners` };
			throw new Error(`register failed: ${error.message} (status ${error.status})`);
		}
		return { learnerId: session.learnerId, db: session.db, accessToken: session.accessToken, dbUrl: `${this.url}/sync/${session.db}`, session };
	}

	/** Why replication cannot run yet, or undefined when `/sync/<db>` answers. */
	async syncRoutesMissing(account: SikhoAccount): Promise<string | undefined> {
		const res = await fetch(account.dbUrl, { headers: { authorization: `Bearer ${account.accessToken}` } });
		if (res.status === 404) return `GET /sync/<db> answers 404 (replication routes not merged yet)`;
		if (!res.ok) return `GET /sync/<db> answers ${res.status}: ${(await res.text()).slice(0, 200)}`;
		return undefined;
	}

	clientFetch(account: SikhoAccount): PouchFetch {
		return appFetch(tokensOf(account.session, this.url));
	}

	clientSync(account: SikhoAccount): SyncBothWays {
		return engineSync(account.session);
	}

	async stop(): Promise<void> {
		if (this.child.exitCode === null && this.child.signalCode === null) {
			const exited = once(this.child, 'exit');
			process.kill(this.pid, 'SIGTERM');
			await exited;
		}
		await rm(this.root, { recursive: true, force: true });
	}

	/**
	 * `entry`: the script the server process runs — the built main.js, or a bench entry that builds
	 * the same server with cheaper settings injected (scrypt cost, registration rate limit), so that
	 * 1,000 learners can be registered from one address before a load run.
	 */
	static async start({ entry = MAIN, note = 'the built sync-server as npm start runs it' }: { entry?: string; note?: string } = {}): Promise<SikhoBench> {
		await ensureServerBuilt();
		const { appDir, dataDir } = await makeFixture();
		const port = await freePort();
		const child = spawn(process.execPath, [entry], {
			env: {
				...process.env,
				PORT: String(port),
				HOST: '127.0.0.1',
				APP_DIR: appDir,
				DATA_DIR: dataDir,
				LOG_LEVEL: 'warn',
				TOKEN_SECRET: randomBytes(32).toString('base64url')
			},
			stdio: ['ignore', 'ignore', 'inherit']
		});
		const server = new SikhoBench(child, join(appDir, '..'), `http://127.0.0.1:${port}`, note);
		const deadline = Date.now() + 20_000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`the sync-server exited with ${child.exitCode}`);
			if (await fetch(`${server.url}/healthz`).then((r) => r.ok, () => false)) return server;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		await server.stop();
		throw new Error('the sync-server did not become healthy within 20 s');
	}
}

/** The bench entry (bench/bench-server.mjs): the same server with a cheap password hash and no registration limit. */
export const startSikhoForBench = (): Promise<SikhoSide> =>
	SikhoBench.start({ entry: join(process.cwd(), 'bench', 'bench-server.mjs'), note: 'the built sync-server, embedded store on disk; scrypt N=2^10 and no registration limit so 1,000 learners register before timing' });
