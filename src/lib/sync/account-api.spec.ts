import { describe, expect, it } from 'vitest';
import { accountApi, AccountError } from './account-api';
import { TokenSession, type LearnerAccount } from './session';

const session = {
	learnerId: '3f2b8c1e-7d4a-4e0b-9a51-2c6f0d8e4b17',
	db: 'learner-3f2b8c1e-7d4a-4e0b-9a51-2c6f0d8e4b17',
	accessToken: 'a.b.c',
	refreshToken: 'id.secret',
	accessExpiresAt: '2026-03-10T09:15:00.000Z',
	name: 'Asha',
	district: 'Sitapur'
};

function api(answer: (path: string, body: unknown) => Response) {
	const sent: Array<{ path: string; body: unknown }> = [];
	const client = accountApi({
		baseUrl: 'http://sikho.test',
		fetch: async (input, init) => {
			const path = new URL(String(input)).pathname;
			const body = JSON.parse(String(init?.body));
			sent.push({ path, body });
			return answer(path, body);
		},
		now: () => Date.parse('2026-03-10T09:00:00.000Z')
	});
	return { client, sent };
}

const couchError = (status: number, error: string, reason = 'any words at all', headers: Record<string, string> = {}) => Response.json({ error, reason }, { status, headers });

describe('the account routes', () => {
	it('registers with the phone’s learner id and reads the answer', async () => {
		const { client, sent } = api(() => Response.json(session, { status: 201 }));
		const answer = await client.register({ username: 'asha', password: 'long enough', name: 'Asha', district: 'Sitapur', learnerId: session.learnerId, language: 'hi' });
		expect(answer).toEqual(session);
		expect(sent).toEqual([{ path: '/api/auth/register', body: { username: 'asha', password: 'long enough', name: 'Asha', district: 'Sitapur', learnerId: session.learnerId, language: 'hi' } }]);
	});

	it('logs in, refreshes and logs out on their routes', async () => {
		const { client, sent } = api((path) =>
			path === '/api/auth/refresh' ? Response.json({ accessToken: 'n.e.w', accessExpiresAt: '2026-03-10T09:30:00.000Z' }) : path === '/api/auth/logout' ? new Response(null, { status: 204 }) : Response.json(session)
		);
		expect(await client.login('asha', 'pw')).toEqual(session);
		expect(await client.refresh('id.secret')).toEqual({ accessToken: 'n.e.w', accessExpiresAt: '2026-03-10T09:30:00.000Z' });
		await client.logout('id.secret');
		expect(sent.map((s) => s.path)).toEqual(['/api/auth/login', '/api/auth/refresh', '/api/auth/logout']);
		expect(sent[2]!.body).toEqual({ refreshToken: 'id.secret' });
	});

	it.each([
		[409, 'conflict', 'conflict'],
		[401, 'unauthorized', 'unauthorized'],
		[400, 'bad_request', 'bad_request'],
		[413, 'too_large', 'bad_request'],
		[503, 'service_unavailable', 'server']
	] as const)('names a %i %s by the error name, not the reason', async (status, name, problem) => {
		const { client } = api(() => couchError(status, name));
		await expect(client.login('asha', 'pw')).rejects.toMatchObject({ problem, couchError: name, status });
	});

	it('passes on how long to wait when rate limited', async () => {
		const { client } = api(() => couchError(429, 'too_many_requests', 'slow', { 'Retry-After': '60' }));
		await expect(client.login('asha', 'pw')).rejects.toMatchObject({ problem: 'too_many_requests', retryAfterMs: 60_000 });
	});

	it('says offline when no answer came, and server when the answer cannot be read', async () => {
		const offline = accountApi({ baseUrl: 'http://sikho.test', fetch: async () => Promise.reject(new TypeError('Failed to fetch')) });
		await expect(offline.login('asha', 'pw')).rejects.toMatchObject({ problem: 'offline' });
		const { client } = api(() => Response.json({ ...session, db: 'Not A Database!' }));
		await expect(client.login('asha', 'pw')).rejects.toMatchObject({ problem: 'server' });
	});
});

describe('the tokens of a learner on this phone', () => {
	const account: LearnerAccount = { username: 'asha', db: session.db, refreshToken: 'id.secret', accessToken: 'old', accessExpiresAt: '2026-03-10T09:15:00.000Z' };
	const now = () => Date.parse('2026-03-10T09:00:00.000Z');

	it('refreshes once for many requests refused at the same time, and keeps the new token', async () => {
		let refreshes = 0;
		const saved: LearnerAccount[] = [];
		const tokens = new TokenSession({
			account,
			now,
			api: { refresh: async () => ({ accessToken: `new-${++refreshes}`, accessExpiresAt: '2026-03-10T09:30:00.000Z' }) },
			save: async (a) => void saved.push(a)
		});
		expect(await tokens.accessToken()).toBe('old');
		const fresh = await Promise.all([tokens.refresh('old'), tokens.refresh('old'), tokens.refresh('old')]);
		expect(fresh).toEqual(['new-1', 'new-1', 'new-1']);
		// A request that was refused the old token after the refresh gets the new one without asking again.
		expect(await tokens.refresh('old')).toBe('new-1');
		expect(refreshes).toBe(1);
		expect(saved).toEqual([{ ...account, accessToken: 'new-1', accessExpiresAt: '2026-03-10T09:30:00.000Z' }]);
	});

	it('on a phone whose clock is two days ahead, refreshes once and then trusts the fresh token for its lifetime', async () => {
		const jwt = (iat: number) => `h.${btoa(JSON.stringify({ iat, exp: iat + 900 })).replace(/=+$/, '')}.s`;
		let refreshes = 0;
		const phoneNow = Date.parse('2026-03-12T09:00:00.000Z');
		const tokens = new TokenSession({
			account,
			now: () => phoneNow,
			// The server's clock says 10 March: its expiry is long past by the phone's clock.
			api: { refresh: async () => ({ accessToken: jwt(1_773_133_200 + ++refreshes), accessExpiresAt: '2026-03-10T09:30:00.000Z' }) },
			save: async () => undefined
		});
		const first = await tokens.accessToken();
		expect(await tokens.accessToken()).toBe(first);
		expect(await tokens.accessToken()).toBe(first);
		expect(refreshes).toBe(1);
	});

	it('stops and remembers when the refresh token is refused; other failures are only failures', async () => {
		const saved: LearnerAccount[] = [];
		let failure = new AccountError('offline');
		const tokens = new TokenSession({ account, now, api: { refresh: async () => Promise.reject(failure) }, save: async (a) => void saved.push(a) });
		await expect(tokens.refresh('old')).rejects.toBe(failure);
		expect(tokens.signInNeeded).toBe(false);
		failure = new AccountError('unauthorized', 'unauthorized', undefined, 401);
		await expect(tokens.refresh('old')).rejects.toThrow(/sign-in/);
		expect(tokens.signInNeeded).toBe(true);
		expect(saved.at(-1)).toMatchObject({ signInNeeded: true });
		await expect(tokens.accessToken()).rejects.toThrow(/sign-in/);
	});
});
