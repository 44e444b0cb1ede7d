/**
 * Sikho's server for the sync benchmarks: the built sync-server in its own process (so its memory
 * can be sampled apart from the bench's clients), the embedded store on disk in a temporary
 * DATA_DIR, a stand-in for the built app (the server needs one to start), loopback only.
 *
 * Accounts and tokens follow docs/sync.md: `POST /api/auth/register` gives `{learnerId,
 * db, accessToken}`, replication goes to `/sync/<db>` with `Authorization: Bearer`. While those
 * routes are missing (they answer 404), callers get `{ unavailable }` and report it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeFixture } from '../sync-server/test-support/app-fixture';
import { freePort } from '../tests/support/server-process';
import PouchDB, { type PouchFetch, type ReplicationOptions, type SyncBothWays } from './node-pouch';

const MAIN = join(process.cwd(), 'sync-server', 'dist', 'sync-server', 'src', 'main.js');
/** The contract's client compresses request bodies larger than this. */
const GZIP_OVER_BYTES = 1024;

export interface SikhoAccount {
	learnerId: string;
	db: string;
	accessToken: string;
	/** `<server>/sync/<db>`: the learner's database as replication addresses it. */
	dbUrl: string;
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

/**
 * The client's fetch as the contract describes the sync engine's: the bearer token on every
 * request and request bodies over 1 KB gzipped. It stands in until src/lib/sync is merged; then
 * `clientFetch` should return its `syncFetch({ tokens }).fetch` so the figures are the app's.
 */
function bearerGzipFetch(token: string): PouchFetch {
	return (url, init = {}) => {
		const headers = new Headers([...(init.headers ?? [])]);
		headers.set('authorization', `Bearer ${token}`);
		let body: string | Uint8Array<ArrayBuffer> | undefined = init.body;
		if (typeof body === 'string' && Buffer.byteLength(body) > GZIP_OVER_BYTES) {
			body = new Uint8Array(gzipSync(body));
			headers.set('content-encoding', 'gzip');
		}
		return fetch(url, { method: init.method, headers, body, signal: init.signal });
	};
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
	/** The fetch the app's client uses for this account. */
	clientFetch(account: SikhoAccount): PouchFetch;
	/** One sync both ways as the app's client does it. */
	clientSync(account: SikhoAccount): SyncBothWays;
	stop(): Promise<void>;
}

/**
 * One sync as the app's sync engine does it (src/lib/sync/sync-engine.ts, `replicateBothWays`):
 * push and pull side by side, 500 changes a batch, two batches read ahead, checkpoints kept on
 * the phone only, the remote opened with `skip_setup`. Mirrors the engine's options as written on
 * its branch; once merged, the engine's own constants should be imported here.
 */
const ENGINE_OPTIONS: ReplicationOptions = { batch_size: 500, batches_limit: 2, retry: false };

function engineLikeSync(fetch: PouchFetch): SyncBothWays {
	return async (local, url) => {
		const remote = new PouchDB(url, { fetch, skip_setup: true });
		const [push, pull] = await Promise.all([
			PouchDB.replicate(local, remote, { ...ENGINE_OPTIONS, checkpoint: 'source' }),
			PouchDB.replicate(remote, local, { ...ENGINE_OPTIONS, checkpoint: 'target' })
		]);
		return { pushed: push.docs_written, pulled: pull.docs_written };
	};
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

	/** A new account; the learner id is a lower-case UUID as the phone makes it. */
	async register(learnerId: string = randomUUID(), n = 0): Promise<SikhoAccount | Unavailable> {
		const res = await fetch(`${this.url}/api/auth/register`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ username: `bench-${learnerId}`, password: 'bench-password-not-secret', name: `Learner ${n}`, district: 'Pune', learnerId, language: 'en' })
		});
		if (res.status === 404) return { unavailable: 'POST /api/auth/register answers 404 (accounts not merged yet)' };
		if (res.status === 429) return { unavailable: `registration refused with 429 (rate limit, Retry-After ${res.headers.get('retry-after')}); the bench needs a way to register its learners` };
		if (res.status !== 201) throw new Error(`register answered ${res.status}: ${await res.text()}`);
		const account = (await res.json()) as { learnerId: string; db: string; accessToken: string };
		return { learnerId: account.learnerId, db: account.db, accessToken: account.accessToken, dbUrl: `${this.url}/sync/${account.db}` };
	}

	/** Why replication cannot run yet, or undefined when `/sync/<db>` answers. */
	async syncRoutesMissing(account: SikhoAccount): Promise<string | undefined> {
		const res = await fetch(account.dbUrl, { headers: { authorization: `Bearer ${account.accessToken}` } });
		if (res.status === 404) return `GET /sync/<db> answers 404 (replication routes not merged yet)`;
		if (!res.ok) return `GET /sync/<db> answers ${res.status}: ${(await res.text()).slice(0, 200)}`;
		return undefined;
	}

	clientFetch(account: SikhoAccount): PouchFetch {
		return bearerGzipFetch(account.accessToken);
	}

	clientSync(account: SikhoAccount): SyncBothWays {
		return engineLikeSync(this.clientFetch(account));
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
