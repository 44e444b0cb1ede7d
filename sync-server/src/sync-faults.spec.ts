/**
 * Faults on the way between a phone and the assembled server (issue 5): the network cut after N
 * bytes, for many N across a whole sync; the server stopped and started again mid-sync; an access
 * token that expired before or during a sync. Each time, the next sync must finish the job, and
 * the server must hold every document of the phone exactly once — one revision, the phone's —
 * while the phone keeps all it had and gets all the server had.
 *
 * The phone is the app's own sync client (src/lib/sync's SyncEngine with its syncFetch and
 * TokenSession) on an in-memory PouchDB, so what is tested is what learners run: its batch sizes,
 * its phone-only checkpoints, its gzipped uploads, its refresh on 401. The server is `buildServer`
 * with the embedded store on LevelDB in a temporary DATA_DIR, behind a TCP proxy that cuts.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountSession } from '../../src/lib/sync/account-api.js';
import { newProfile } from '../../src/lib/progress-model/profile.js';
import { makeFixture, type Fixture } from '../test-support/app-fixture.js';
import { CuttingProxy, type Direction } from '../test-support/cutting-proxy.js';
import { learnerHistory } from '../test-support/learner-history.js';
import { SikhoPhone } from '../test-support/sikho-phone.js';
import { loadConfig } from './config.js';
import { buildServer, type ServerParts } from './server.js';
import type { JsonObject } from './store/store.js';

/** Cheap scrypt and no registration limit: these tests register a learner for every cut. */
const TEST_PARTS: ServerParts = {
	passwordCost: { log2N: 10, r: 8, p: 1 },
	authLimits: { registerPerAddress: 10_000, loginPerUsername: 10_000, loginPerAddress: 10_000 }
};

const MINUTE = 60_000;

async function startServer(fixture: Fixture, parts: ServerParts = {}, port = 0): Promise<FastifyInstance> {
	const app = await buildServer(loadConfig({ APP_DIR: fixture.appDir, DATA_DIR: fixture.dataDir, LOG_LEVEL: 'silent' }), { ...TEST_PARTS, ...parts });
	await app.listen({ port, host: '127.0.0.1' });
	return app;
}

const originOf = (app: FastifyInstance) => `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

/** A new account for a learner whose id the phone made, registered straight with the server (not through the proxy). */
async function register(app: FastifyInstance, learnerId = randomUUID()): Promise<AccountSession> {
	const response = await fetch(`${originOf(app)}/api/auth/register`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username: `l-${learnerId}`, password: 'a long enough password', name: 'Asha Devi', district: 'Sitapur', learnerId })
	});
	expect(response.status).toBe(201);
	return (await response.json()) as AccountSession;
}

let seeds = 0;

/**
 * A learner with a phone that studied offline (a profile and `events` events) and whose server
 * database already holds `onServer` events from another phone, pushed there by that phone's own
 * sync. Returns the phone (reaching the server at `origin`) and every document id there should be.
 */
async function learnerWithHistory(app: FastifyInstance, origin: string, { events, onServer }: { events: number; onServer: number }) {
	const session = await register(app);
	const seed = ++seeds;
	const expected: string[] = [];
	if (onServer > 0) {
		const other = new SikhoPhone({ origin: originOf(app), session });
		const earlier = learnerHistory({ learnerId: session.learnerId, count: onServer, seed: 100_000 + seed, firstLesson: 500, start: '2026-10-20T08:00:00.000Z' });
		await other.local.bulkDocs(earlier);
		expect((await other.sync()).state).toBe('up-to-date');
		other.stop();
		expected.push(...earlier.map((event) => event._id));
	}
	const phone = new SikhoPhone({ origin, session });
	const profile = newProfile({ name: 'Asha Devi', district: 'Sitapur', language: 'hi' }, () => new Date('2026-11-01T08:00:00.000Z'));
	const history = learnerHistory({ learnerId: session.learnerId, count: events, seed });
	await phone.local.bulkDocs([profile, ...history]);
	expected.push(profile._id, ...history.map((event) => event._id));
	return { session, phone, expected: expected.sort() };
}

/** Every document in a server database (not `_local`) with all its leaf revisions: one each when nothing is doubled or in conflict. */
async function serverLeaves(app: FastifyInstance, db: string): Promise<Record<string, string[]>> {
	const { results } = (await app.store.database(db).changes({ style: 'all_docs' })) as { results: Array<{ id: string; changes: Array<{ rev: string }> }> };
	return Object.fromEntries(results.map((change) => [change.id, change.changes.map((c) => c.rev).sort()]));
}

/**
 * The learner's data is whole: the phone holds every expected document and nothing else, and the
 * server holds exactly the phone's documents, each once, at the phone's revision, with no
 * conflicts (`_all_docs` and `conflicts=true` say the same as the leaves).
 */
async function expectWhole(app: FastifyInstance, session: AccountSession, phone: SikhoPhone, expected: string[], label: string): Promise<void> {
	const onPhone = await phone.revisions();
	expect([...onPhone.keys()].sort(), `${label}: the phone's documents`).toEqual(expected);
	const leaves = await serverLeaves(app, session.db);
	expect(leaves, `${label}: the server's documents and their leaf revisions`).toEqual(Object.fromEntries([...onPhone].map(([id, rev]) => [id, [rev]])));
	const all = (await app.store.database(session.db).allDocs({ include_docs: 'true', conflicts: 'true' })) as { total_rows: number; rows: Array<{ id: string; doc: JsonObject }> };
	expect(all.rows.map((row) => row.id), `${label}: _all_docs`).toEqual(expected);
	expect(all.rows.filter((row) => row.doc._conflicts !== undefined).map((row) => row.id), `${label}: documents in conflict`).toEqual([]);
}

describe('a sync cut after N bytes', { timeout: 120_000 }, () => {
	let fixture: Fixture;
	let app: FastifyInstance;
	let proxy: CuttingProxy;
	/** Bytes one clean sync of such a learner moves through the proxy, each way (headers included). */
	let clean: { up: number; down: number };
	const outcomes: string[] = [];

	const EVENTS = 200;
	const ON_SERVER = 30;

	beforeAll(async () => {
		fixture = await makeFixture();
		app = await startServer(fixture);
		proxy = await CuttingProxy.start({ target: { host: '127.0.0.1', port: (app.server.address() as AddressInfo).port } });

		const { session, phone, expected } = await learnerWithHistory(app, proxy.origin, { events: EVENTS, onServer: ON_SERVER });
		proxy.resetCounts();
		expect((await phone.sync()).state).toBe('up-to-date');
		clean = proxy.bytes;
		phone.stop();
		await expectWhole(app, session, phone, expected, 'a clean sync');
	}, 30_000);

	afterAll(async () => {
		console.info(`clean sync: ${clean?.up} bytes up, ${clean?.down} down; cuts: ${outcomes.join(', ')}`);
		await proxy?.close();
		await app?.close();
	});

	/** Where to cut: tiny counts (inside the first request's headers), then spread over the whole sync, then its last bytes. */
	const sweep: Array<{ name: string; direction: Direction; bytes: (total: number) => number }> = [
		...[0, 1, 40, 150, 400, 900].map((n) => ({ name: `${n} bytes`, direction: 'either' as const, bytes: () => n })),
		...Array.from({ length: 24 }, (_, i) => (i + 1) / 25).map((f) => ({ name: `${Math.round(f * 100)}% of the bytes`, direction: 'either' as const, bytes: (total: number) => Math.round(f * total) })),
		...[400, 60, 5, 1].map((n) => ({ name: `${n} bytes before the end`, direction: 'either' as const, bytes: (total: number) => total - n })),
		...[0.1, 0.35, 0.6, 0.9].map((f) => ({ name: `${f * 100}% of the upload`, direction: 'up' as const, bytes: (_: number) => Math.round(f * clean.up) })),
		...[0.1, 0.35, 0.6, 0.9].map((f) => ({ name: `${f * 100}% of the download`, direction: 'down' as const, bytes: (_: number) => Math.round(f * clean.down) }))
	];

	for (const point of sweep) {
		it(`leaves the data whole and the next sync finishes: cut at ${point.name} (${point.direction})`, async () => {
			const { session, phone, expected } = await learnerWithHistory(app, proxy.origin, { events: EVENTS, onServer: ON_SERVER });
			const bytes = point.bytes(clean.up + clean.down);
			let cut = false;
			void proxy.cutAfter({ bytes, direction: point.direction }).then(() => (cut = true));
			const cutSync = await phone.sync();
			proxy.disarm();
			const next = await phone.sync();
			phone.stop();
			outcomes.push(`${bytes}${point.direction === 'either' ? '' : ` ${point.direction}`}${cut ? '' : ' (no cut)'}→${cutSync.state}`);
			const label = `cut after ${bytes} bytes (${point.direction})`;
			expect(next.state, label).toBe('up-to-date');
			await expectWhole(app, session, phone, expected, label);
			// Up to the last few bytes, the cut falls inside the sync (a clean sync's size varies by a few
			// bytes). A cut sync may still end up to date: PouchDB names the server by its URL when the
			// `GET /sync/` that was cut cannot, and the requests after a cut open new connections.
			if (bytes < 0.9 * (point.direction === 'either' ? clean.up + clean.down : clean[point.direction])) {
				expect(cut, `${label}: the cut happened`).toBe(true);
			}
		});
	}
});

describe('the server stopped mid-sync and started again', { timeout: 60_000 }, () => {
	it('loses nothing and doubles nothing: the next sync finishes the job', async () => {
		const fixture = await makeFixture();
		let app = await startServer(fixture);
		const port = (app.server.address() as AddressInfo).port;
		const proxy = await CuttingProxy.start({ target: { host: '127.0.0.1', port } });
		try {
			const { session, phone, expected } = await learnerWithHistory(app, proxy.origin, { events: 2000, onServer: 30 });
			// The server goes down once the upload is under way (some of the events are in flight).
			const stopped = proxy.cutAfter({ bytes: 20_000, direction: 'up', then: 'refuse' }).then(() => app.close());
			const during = await phone.sync();
			await stopped;
			expect(during.state).not.toBe('up-to-date');
			// Back on the same port and data folder (and so the same token secret).
			app = await startServer(fixture, {}, port);
			proxy.comeUp();
			expect((await phone.sync()).state).toBe('up-to-date');
			phone.stop();
			await expectWhole(app, session, phone, expected, 'after a restart mid-sync');
		} finally {
			await proxy.close();
			await app.close();
		}
	});
});

describe('an access token that expired', { timeout: 60_000 }, () => {
	it('is refreshed once and the sync finishes with nothing lost', async () => {
		const fixture = await makeFixture();
		let time = Date.parse('2026-11-20T08:00:00.000Z');
		const app = await startServer(fixture, { clock: () => new Date(time) });
		try {
			const { session, phone, expected } = await learnerWithHistory(app, originOf(app), { events: 50, onServer: 0 });
			// Sixteen minutes later by the server's clock: the 15-minute access token has run out, and
			// the phone's clock (still the real one) does not know it, so the server's 401 must tell it.
			time += 16 * MINUTE;
			expect((await phone.sync()).state).toBe('up-to-date');
			phone.stop();
			// The phone keeps its account each time a refresh gives it a new token: once.
			expect(phone.saved).toHaveLength(1);
			expect(phone.saved[0]?.accessToken).not.toBe(session.accessToken);
			await expectWhole(app, session, phone, expected, 'after a refresh');
		} finally {
			await app.close();
		}
	});
});
