import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import memoryAdapter from 'pouchdb-adapter-memory';
import PouchNode from 'pouchdb-node';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { installErrorHandlers } from '../http/errors.js';
import type { JsonObject, Store } from '../store/store.js';
import { Accounts, RESERVATION_GRACE_MS } from './accounts.js';
import { authRoutes, type AuthLimits } from './auth-routes.js';
import { faultyStore, type Faults } from './test-support/faulty-store.js';
import { MemoryStore } from '../../test-support/memory-store.js';
import { EmbeddedStore } from '../store/embedded-store.js';

/**
 * The stores these tests run on: the memory fake (which checks CouchDB's answers of its own, see
 * memory-store.spec.ts) and the embedded store (PouchDB, memory adapter, a fresh folder each).
 * The CouchDB store's get/put/ensureDatabase are proven by store-conformance.spec.ts; running
 * every account test against a pouchdb-server peer would need a fresh peer per test.
 */
const STORES: Array<[string, () => Promise<Store>]> = [
	['memory', async () => new MemoryStore()],
	['embedded', async () => EmbeddedStore.open({ root: await mkdtemp(join(tmpdir(), 'sikho-accounts-')), PouchDB: PouchNode.plugin(memoryAdapter), adapter: 'memory' })]
];

const SECRET = new TextEncoder().encode('a-test-secret-that-is-long-enough-for-hs256');
const CHEAP = { log2N: 10, r: 8, p: 1 };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ASHA_ID = '7f0c2a4e-1b2d-4c3e-9f10-a1b2c3d4e5f6';
const OTHER_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

const asha = (changes: Record<string, unknown> = {}) => ({
	username: 'Asha.Devi',
	password: 'correct horse battery',
	name: 'Asha Devi',
	district: 'Sitapur',
	learnerId: ASHA_ID,
	language: 'hi',
	...changes
});

interface Harness {
	app: FastifyInstance;
	store: Store;
	clock: { now: Date; advance(ms: number): void };
	post(url: string, payload: unknown, options?: Partial<InjectOptions>): Promise<LightMyRequestResponse>;
	whoami(accessToken: string | undefined): Promise<LightMyRequestResponse>;
}

let running: Harness[] = [];

afterEach(async () => {
	await Promise.all(running.map(({ app, store }) => app.close().then(() => store.close())));
	running = [];
});

describe.each(STORES)('accounts on the %s store', (_kind, makeStore) => {
	async function start(options: { faults?: Faults; limits?: Partial<AuthLimits> } = {}): Promise<Harness> {
		const inner = await makeStore();
		const store = options.faults ? faultyStore(inner, options.faults) : inner;
		const clock = {
			now: new Date('2026-03-01T08:00:00.000Z'),
			advance(ms: number) {
				this.now = new Date(this.now.getTime() + ms);
			}
		};
		const accounts = await Accounts.open({ store, secret: SECRET, now: () => clock.now, passwordCost: CHEAP });
		const app = Fastify({ logger: false });
		installErrorHandlers(app);
		await app.register(authRoutes, { accounts, limits: options.limits });
		// What a sync route does first.
		app.get('/whoami', async (request) => accounts.authenticate(request));
		await app.ready();
		const harness: Harness = {
			app,
			store: inner,
			clock,
			post: (url, payload, extra = {}) => app.inject({ method: 'POST', url, payload: payload as InjectOptions['payload'], ...extra }),
			whoami: (accessToken) => app.inject({ url: '/whoami', headers: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` } })
		};
		running.push(harness);
		return harness;
	}

	describe('register', () => {
		it('makes the account and the learner database, and answers 201 with a session the sync routes accept', async () => {
			const { post, whoami, store } = await start();
			const answer = await post('/api/auth/register', asha());
			expect(answer.statusCode).toBe(201);
			expect(answer.headers['cache-control']).toBe('no-store');
			const session = answer.json();
			expect(session).toEqual({
				learnerId: ASHA_ID,
				db: `learner-${ASHA_ID}`,
				accessToken: expect.any(String),
				refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/),
				accessExpiresAt: '2026-03-01T08:15:00.000Z',
				name: 'Asha Devi',
				district: 'Sitapur'
			});
			await expect(store.database(`learner-${ASHA_ID}`).info()).resolves.toBeDefined();
			expect((await whoami(session.accessToken)).json()).toEqual({ learnerId: ASHA_ID, db: `learner-${ASHA_ID}` });
		});

		it('makes a lower-case UUID for a learner who brings no id', async () => {
			const { post } = await start();
			const { learnerId, db } = (await post('/api/auth/register', asha({ learnerId: undefined }))).json();
			expect(learnerId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
			expect(db).toBe(`learner-${learnerId}`);
		});

		it('refuses a taken username with 409, whatever its case or Unicode form', async () => {
			const { post } = await start();
			expect((await post('/api/auth/register', asha())).statusCode).toBe(201);
			for (const username of ['asha.devi', 'ASHA.DEVI', 'Ａｓｈａ.Ｄｅｖｉ']) {
				const answer = await post('/api/auth/register', asha({ username, learnerId: OTHER_ID, password: 'another password' }));
				expect(answer.statusCode).toBe(409);
				expect(answer.json()).toEqual({ error: 'conflict', reason: 'This username is taken' });
			}
		});

		it('lets exactly one of five simultaneous registrations of a username win', async () => {
			const { post } = await start();
			const ids = [1, 2, 3, 4, 5].map((n) => `${n}${ASHA_ID.slice(1)}`);
			const answers = await Promise.all(ids.map((learnerId, n) => post('/api/auth/register', asha({ learnerId, password: `password number ${n}` }))));
			const statuses = answers.map((answer) => answer.statusCode);
			expect(statuses.filter((status) => status === 201)).toHaveLength(1);
			expect(statuses.filter((status) => status === 409)).toHaveLength(4);

			const winner = statuses.indexOf(201);
			const login = await post('/api/auth/login', { username: 'asha.devi', password: `password number ${winner}` });
			expect(login.json().learnerId).toBe(ids[winner]);
			// The losers' learner ids were given back: each can register under another username.
			for (const [n, learnerId] of ids.entries()) {
				if (n === winner) continue;
				expect((await post('/api/auth/register', asha({ learnerId, username: `asha${n}` }))).statusCode).toBe(201);
			}
		});

		it('refuses a learner id that belongs to another account with 409', async () => {
			const { post } = await start();
			expect((await post('/api/auth/register', asha())).statusCode).toBe(201);
			const answer = await post('/api/auth/register', asha({ username: 'ravi' }));
			expect(answer.statusCode).toBe(409);
			expect(answer.json()).toEqual({ error: 'conflict', reason: 'This learner id already belongs to an account' });
		});

		it('answers a repeated registration (an answer lost on the way) like the first, but not with another password', async () => {
			const { post } = await start();
			const first = (await post('/api/auth/register', asha())).json();
			const again = await post('/api/auth/register', asha());
			expect(again.statusCode).toBe(201);
			expect(again.json()).toMatchObject({ learnerId: first.learnerId, db: first.db });
			expect((await post('/api/auth/register', asha({ password: 'not the same one' }))).statusCode).toBe(409);
		});

		it('is finished by a retry or a login when the learner database could not be made', async () => {
			let storeDown = true;
			const { post, store } = await start({ faults: { ensureDatabase: (name) => storeDown && name.startsWith('learner-') } });
			expect((await post('/api/auth/register', asha())).statusCode).toBe(500);
			storeDown = false;
			expect((await post('/api/auth/register', asha())).statusCode).toBe(201);
			await expect(store.database(`learner-${ASHA_ID}`).info()).resolves.toBeDefined();
		});

		it('is finished by a login when the database could not be made and the learner signs in instead', async () => {
			let storeDown = true;
			const { post, store } = await start({ faults: { ensureDatabase: (name) => storeDown && name.startsWith('learner-') } });
			expect((await post('/api/auth/register', asha())).statusCode).toBe(500);
			storeDown = false;
			expect((await post('/api/auth/login', { username: 'asha.devi', password: 'correct horse battery' })).statusCode).toBe(200);
			await expect(store.database(`learner-${ASHA_ID}`).info()).resolves.toBeDefined();
		});

		it('frees a learner id left reserved by a registration cut short, once it has been left long enough', async () => {
			// The reservation cannot be given back: the store fails exactly then.
			const faults: Faults = { put: (db, doc) => db === 'sikho-accounts' && doc._id.startsWith('learner:') && doc.username === null };
			const { post, clock } = await start({ faults });
			expect((await post('/api/auth/register', asha())).statusCode).toBe(201);
			expect((await post('/api/auth/register', asha({ learnerId: OTHER_ID, password: 'another password' }))).statusCode).toBe(409);

			const elsewhere = asha({ learnerId: OTHER_ID, username: 'ravi' });
			expect((await post('/api/auth/register', elsewhere)).statusCode).toBe(409);
			clock.advance(RESERVATION_GRACE_MS + MINUTE);
			expect((await post('/api/auth/register', elsewhere)).statusCode).toBe(201);
			// An account's own learner id is never "left": it stays taken however long it is held.
			expect((await post('/api/auth/register', asha({ username: 'someone' }))).statusCode).toBe(409);
		});

		it.each([
			['a short username', { username: 'as' }, /username/],
			['a username with a space', { username: 'asha devi' }, /username/],
			['a short password', { password: 'short' }, /password/],
			['an upper-case learner id', { learnerId: ASHA_ID.toUpperCase() }, /learnerId/],
			['a learner id that is no database name', { learnerId: 'asha_devi_2026' }, /learnerId/],
			['a name with a control character', { name: 'Asha\u0007' }, /name/],
			['no district', { district: undefined }, /district/],
			['an unknown language', { language: 'Hindi!' }, /language/]
		])('refuses %s with 400', async (_what, changes, problem) => {
			const { post } = await start();
			const answer = await post('/api/auth/register', asha(changes));
			expect(answer.statusCode).toBe(400);
			expect(answer.json().error).toBe('bad_request');
			expect(answer.json().reason).toMatch(problem);
			expect(answer.json().reason).not.toContain('correct horse');
		});

		it('refuses malformed JSON with 400', async () => {
			const { post } = await start();
			const answer = await post('/api/auth/register', '{"username": "asha",', { headers: { 'content-type': 'application/json' } });
			expect(answer.statusCode).toBe(400);
			expect(answer.json().error).toBe('bad_request');
		});
	});

	describe('login', () => {
		it('signs in whatever the case or Unicode form of the username, with the same answer as registration', async () => {
			const { post, whoami } = await start();
			await post('/api/auth/register', asha());
			for (const username of ['Asha.Devi', 'asha.devi', 'Ａｓｈａ.Ｄｅｖｉ']) {
				const answer = await post('/api/auth/login', { username, password: 'correct horse battery' });
				expect(answer.statusCode).toBe(200);
				const session = answer.json();
				expect(session).toMatchObject({ learnerId: ASHA_ID, db: `learner-${ASHA_ID}`, name: 'Asha Devi', district: 'Sitapur' });
				expect((await whoami(session.accessToken)).statusCode).toBe(200);
			}
		});

		it('answers a wrong password and an unknown username alike', async () => {
			const { post } = await start();
			await post('/api/auth/register', asha());
			const wrongPassword = await post('/api/auth/login', { username: 'asha.devi', password: 'incorrect horse' });
			const unknownUser = await post('/api/auth/login', { username: 'nobody', password: 'correct horse battery' });
			expect(wrongPassword.statusCode).toBe(401);
			expect(unknownUser.statusCode).toBe(401);
			expect(wrongPassword.json()).toEqual({ error: 'unauthorized', reason: 'wrong username or password' });
			expect(unknownUser.json()).toEqual(wrongPassword.json());
		});

		it('refuses malformed JSON and a body without a password with 400', async () => {
			const { post } = await start();
			expect((await post('/api/auth/login', 'username=asha', { headers: { 'content-type': 'application/json' } })).statusCode).toBe(400);
			expect((await post('/api/auth/login', { username: 'asha.devi' })).json()).toEqual({ error: 'bad_request', reason: expect.stringMatching(/password/) });
		});

		it('allows 10 attempts a minute per address and username, then answers 429 with Retry-After', async () => {
			const { post } = await start();
			await post('/api/auth/register', asha());
			const guess = (username: string, remoteAddress = '203.0.113.7') => post('/api/auth/login', { username, password: 'guessing' }, { remoteAddress });
			for (let n = 0; n < 10; n++) expect((await guess('asha.devi')).statusCode).toBe(401);

			const refused = await guess('ASHA.DEVI');
			expect(refused.statusCode).toBe(429);
			expect(refused.json()).toEqual({ error: 'too_many_requests', reason: expect.stringMatching(/try again in \d+ seconds/) });
			expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
			expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
			// Even the right password waits: the limit is on attempts, not on failures.
			expect((await post('/api/auth/login', { username: 'asha.devi', password: 'correct horse battery' }, { remoteAddress: '203.0.113.7' })).statusCode).toBe(429);

			// A repeated registration would sign in: it waits too.
			expect((await post('/api/auth/register', asha({ password: 'guessing again' }), { remoteAddress: '203.0.113.7' })).statusCode).toBe(429);

			expect((await guess('ravi')).statusCode).toBe(401);
			expect((await guess('asha.devi', '198.51.100.9')).statusCode).toBe(401);
		});

		it('allows 50 attempts a minute per address across usernames', async () => {
			const { post } = await start();
			const guess = (n: number) => post('/api/auth/login', { username: `learner${n}`, password: 'guessing' }, { remoteAddress: '203.0.113.8' });
			for (let n = 0; n < 50; n++) expect((await guess(n)).statusCode).toBe(401);
			const refused = await guess(50);
			expect(refused.statusCode).toBe(429);
			expect(refused.headers['retry-after']).toBeDefined();
		});
	});

	describe('access tokens', () => {
		it('expire after 15 minutes with a reason that tells the app to refresh', async () => {
			const { post, whoami, clock } = await start();
			const { accessToken } = (await post('/api/auth/register', asha())).json();
			clock.advance(15 * MINUTE - 1000);
			expect((await whoami(accessToken)).statusCode).toBe(200);
			clock.advance(1000);
			const expired = await whoami(accessToken);
			expect(expired.statusCode).toBe(401);
			expect(expired.json()).toEqual({ error: 'unauthorized', reason: 'access token expired' });
		});

		it('are refused when missing, malformed, signed with another key, of another algorithm or naming another database', async () => {
			const { whoami } = await start();
			const now = Math.floor(Date.parse('2026-03-01T08:00:00.000Z') / 1000);
			const claims = { sub: ASHA_ID, db: `learner-${ASHA_ID}` };
			const sign = (payload: Record<string, unknown>, secret: Uint8Array) =>
				new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setIssuer('sikho').setIssuedAt(now).setExpirationTime(now + 600).sign(secret);
			const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, iss: 'sikho', exp: now + 600 })).toString('base64url')}.`;
			const otherKey = new TextEncoder().encode('x'.repeat(40));

			expect((await whoami(await sign(claims, SECRET))).statusCode).toBe(200);
			for (const token of [undefined, 'not-a-token', unsigned, await sign(claims, otherKey), await sign({ ...claims, db: `learner-${OTHER_ID}` }, SECRET)]) {
				const answer = await whoami(token);
				expect(answer.statusCode).toBe(401);
				expect(answer.json()).toEqual({ error: 'unauthorized', reason: 'missing or invalid access token' });
			}
		});
	});

	describe('refresh', () => {
		it('gives a new access token and keeps the refresh token usable (not rotated)', async () => {
			const { post, whoami, clock } = await start();
			const { refreshToken } = (await post('/api/auth/register', asha())).json();
			clock.advance(20 * MINUTE);
			for (let n = 0; n < 2; n++) {
				const answer = await post('/api/auth/refresh', { refreshToken });
				expect(answer.statusCode).toBe(200);
				expect(answer.json()).toEqual({ accessToken: expect.any(String), accessExpiresAt: '2026-03-01T08:35:00.000Z' });
				expect((await whoami(answer.json().accessToken)).json()).toEqual({ learnerId: ASHA_ID, db: `learner-${ASHA_ID}` });
			}
		});

		it('works 89 days after the last use, and the 90 days start again from each use', async () => {
			const { post, clock } = await start();
			const { refreshToken } = (await post('/api/auth/register', asha())).json();
			clock.advance(89 * DAY);
			expect((await post('/api/auth/refresh', { refreshToken })).statusCode).toBe(200);
			clock.advance(89 * DAY);
			expect((await post('/api/auth/refresh', { refreshToken })).statusCode).toBe(200);
		});

		it('fails 91 days after the last use', async () => {
			const { post, clock } = await start();
			const { refreshToken } = (await post('/api/auth/register', asha())).json();
			clock.advance(91 * DAY);
			const answer = await post('/api/auth/refresh', { refreshToken });
			expect(answer.statusCode).toBe(401);
			expect(answer.json()).toEqual({ error: 'unauthorized', reason: 'refresh token expired' });
		});

		it('refuses a token it never issued, or one whose secret is wrong', async () => {
			const { post } = await start();
			const { refreshToken } = (await post('/api/auth/register', asha())).json();
			const [id] = refreshToken.split('.');
			for (const token of ['garbage', `${id}.${'A'.repeat(43)}`, `${'B'.repeat(22)}.${'A'.repeat(43)}`]) {
				const answer = await post('/api/auth/refresh', { refreshToken: token });
				expect(answer.statusCode).toBe(401);
				expect(answer.json()).toEqual({ error: 'unauthorized', reason: 'invalid refresh token' });
			}
			expect((await post('/api/auth/refresh', {})).statusCode).toBe(400);
		});
	});

	describe('logout', () => {
		it('revokes the refresh token, answers 204 again for a revoked one, and 401 for a token it never issued', async () => {
			const { post } = await start();
			const { refreshToken } = (await post('/api/auth/register', asha())).json();
			const other = (await post('/api/auth/login', { username: 'asha.devi', password: 'correct horse battery' })).json().refreshToken;

			const answer = await post('/api/auth/logout', { refreshToken });
			expect(answer.statusCode).toBe(204);
			expect(answer.body).toBe('');
			const refused = await post('/api/auth/refresh', { refreshToken });
			expect(refused.statusCode).toBe(401);
			expect(refused.json()).toEqual({ error: 'unauthorized', reason: 'refresh token revoked' });
			expect((await post('/api/auth/logout', { refreshToken })).statusCode).toBe(204);
			expect((await post('/api/auth/logout', { refreshToken: 'garbage' })).statusCode).toBe(401);
			// Signing out one phone leaves the learner's other phones signed in.
			expect((await post('/api/auth/refresh', { refreshToken: other })).statusCode).toBe(200);
		});

		it('lands even when a refresh on another server updates the token between its read and its write', async () => {
			let raced = false;
			const refreshElsewhere: Faults['beforePut'] = async (db, doc, store) => {
				if (raced || !doc._id.startsWith('refresh:') || !('revokedAt' in doc)) return;
				raced = true;
				const current = (await store.database(db).get(doc._id)) as JsonObject & { _id: string };
				await store.database(db).put({ ...current, lastUsedAt: '2026-03-03T08:00:00.000Z' });
			};
			const { post } = await start({ faults: { beforePut: refreshElsewhere } });
			const { refreshToken } = (await post('/api/auth/register', asha())).json();
			expect((await post('/api/auth/logout', { refreshToken })).statusCode).toBe(204);
			expect(raced).toBe(true);
			expect((await post('/api/auth/refresh', { refreshToken })).json()).toEqual({ error: 'unauthorized', reason: 'refresh token revoked' });
		});

		it('wins over a refresh whose write it beat: that refresh is refused', async () => {
			let raced = false;
			const logoutElsewhere: Faults['beforePut'] = async (db, doc, store) => {
				if (raced || !doc._id.startsWith('refresh:') || !('_rev' in doc) || 'revokedAt' in doc) return;
				raced = true;
				const current = (await store.database(db).get(doc._id)) as JsonObject & { _id: string };
				await store.database(db).put({ ...current, revokedAt: '2026-03-03T08:00:00.000Z' });
			};
			const { post, clock } = await start({ faults: { beforePut: logoutElsewhere } });
			const { refreshToken } = (await post('/api/auth/register', asha())).json();
			clock.advance(2 * DAY); // so the refresh writes `lastUsedAt`
			const refused = await post('/api/auth/refresh', { refreshToken });
			expect(raced).toBe(true);
			expect(refused.json()).toEqual({ error: 'unauthorized', reason: 'refresh token revoked' });
		});
	});

	describe('rate limits on registration and tokens', () => {
		it('answer 429 with Retry-After past the limit per address', async () => {
			const { post } = await start({ limits: { registerPerAddress: 2, tokenPerAddress: 2 } });
			expect((await post('/api/auth/register', asha())).statusCode).toBe(201);
			expect((await post('/api/auth/register', asha({ username: 'ravi', learnerId: OTHER_ID }))).statusCode).toBe(201);
			const refused = await post('/api/auth/register', asha({ username: 'mira', learnerId: undefined }));
			expect(refused.statusCode).toBe(429);
			expect(refused.headers['retry-after']).toBeDefined();

			for (let n = 0; n < 2; n++) expect((await post('/api/auth/refresh', { refreshToken: 'garbage' })).statusCode).toBe(401);
			expect((await post('/api/auth/logout', { refreshToken: 'garbage' })).statusCode).toBe(429);
		});
	});
});
