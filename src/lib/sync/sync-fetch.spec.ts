import { describe, expect, it } from 'vitest';
import { syncFetch, type Tokens } from './sync-fetch';
import { SignInNeededError } from './session';
import { AccountError } from './account-api';

type Call = { url: string; headers: Headers; body: Uint8Array; credentials?: RequestCredentials };

function server(answer: (call: Call, n: number) => Response | Promise<Response>) {
	const calls: Call[] = [];
	const fetch: typeof globalThis.fetch = async (input, init = {}) => {
		const call = { url: String(input), headers: new Headers(init.headers), body: new Uint8Array(init.body ? await new Response(init.body).arrayBuffer() : new ArrayBuffer(0)), credentials: init.credentials };
		calls.push(call);
		return answer(call, calls.length);
	};
	return { fetch, calls };
}

const tokens = (over: Partial<Tokens> = {}): Tokens & { refreshed: string[] } => {
	const refreshed: string[] = [];
	return { accessToken: async () => 'old', refresh: async (rejected) => (refreshed.push(rejected), 'new'), refreshed, ...over };
};

const gunzip = async (bytes: Uint8Array<ArrayBuffer>) => new TextDecoder().decode(await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());

describe('the fetch PouchDB syncs through', () => {
	it('sends the access token, no cookies, and small bodies as they are', async () => {
		const s = server(() => Response.json({ ok: true }));
		const f = syncFetch({ tokens: tokens(), fetch: s.fetch });
		const response = await f.fetch('http://x/sync/db/_revs_diff', { method: 'POST', body: '{"a":["1-x"]}', headers: { 'Content-Type': 'application/json' } });
		expect(await response.json()).toEqual({ ok: true });
		expect(s.calls[0]!.headers.get('Authorization')).toBe('Bearer old');
		expect(s.calls[0]!.headers.get('Content-Encoding')).toBeNull();
		expect(s.calls[0]!.headers.get('Content-Type')).toBe('application/json');
		expect(s.calls[0]!.credentials).toBe('omit');
		expect(f.traffic).toEqual({ sent: 13, received: 11, requests: 1 });
	});

	it('gzips bodies over 1 KB and counts the compressed bytes as sent', async () => {
		const s = server(() => new Response(null, { status: 201 }));
		const f = syncFetch({ tokens: tokens(), fetch: s.fetch });
		const body = JSON.stringify({ docs: Array.from({ length: 40 }, (_, i) => ({ _id: `event:c:${i}`, type: 'lesson-opened' })) });
		await f.fetch('http://x/sync/db/_bulk_docs', { method: 'POST', body });
		const sent = s.calls[0]!;
		expect(sent.headers.get('Content-Encoding')).toBe('gzip');
		expect(await gunzip(sent.body as Uint8Array<ArrayBuffer>)).toBe(body);
		expect(f.traffic.sent).toBe(sent.body.byteLength);
		expect(f.traffic.sent).toBeLessThan(body.length / 4);
	});

	it('refreshes once on a 401 and sends the same request again with the new token', async () => {
		const s = server((call) => (call.headers.get('Authorization') === 'Bearer new' ? Response.json({ results: [] }) : Response.json({ error: 'unauthorized', reason: 'access token expired' }, { status: 401 })));
		const t = tokens();
		const f = syncFetch({ tokens: t, fetch: s.fetch });
		const body = 'x'.repeat(2000);
		const response = await f.fetch('http://x/sync/db/_bulk_docs', { method: 'POST', body });
		expect(response.status).toBe(200);
		expect(t.refreshed).toEqual(['old']);
		expect(s.calls.map((c) => c.headers.get('Authorization'))).toEqual(['Bearer old', 'Bearer new']);
		expect(s.calls[1]!.body).toEqual(s.calls[0]!.body);
		expect(f.signInNeeded).toBe(false);
	});

	it('hands PouchDB a 401 and says sign-in is needed when the refresh is refused', async () => {
		const s = server(() => Response.json({ error: 'unauthorized', reason: 'access token expired' }, { status: 401 }));
		const f = syncFetch({ tokens: tokens({ refresh: async () => Promise.reject(new SignInNeededError()) }), fetch: s.fetch });
		const response = await f.fetch('http://x/sync/db/_changes');
		expect(response.status).toBe(401);
		expect((await response.json()).error).toBe('unauthorized');
		expect(f.signInNeeded).toBe(true);
		expect(s.calls).toHaveLength(1);
	});

	it('remembers the failure to decide on a retry: a dropped network, a status with Retry-After, a refresh that failed', async () => {
		const dropped = syncFetch({ tokens: tokens(), fetch: async () => Promise.reject(new TypeError('fetch failed')) });
		await expect(dropped.fetch('http://x/sync/db')).rejects.toThrow('fetch failed');
		expect(dropped.lastFailure).toEqual({ kind: 'network' });

		const busy = syncFetch({ tokens: tokens(), fetch: server(() => Response.json({ error: 'too_many_requests' }, { status: 429, headers: { 'Retry-After': '30' } })).fetch });
		await busy.fetch('http://x/sync/db');
		expect(busy.lastFailure).toEqual({ kind: 'http', status: 429, retryAfterMs: 30_000 });

		const missing = syncFetch({ tokens: tokens(), fetch: server(() => Response.json({ error: 'not_found' }, { status: 404 })).fetch });
		await missing.fetch('http://x/sync/db/_local/x');
		expect(missing.lastFailure).toBeUndefined();

		const refreshDown = syncFetch({
			tokens: tokens({ accessToken: async () => Promise.reject(new AccountError('server', 'unknown_error', undefined, 503)) }),
			fetch: server(() => Response.json({})).fetch
		});
		await expect(refreshDown.fetch('http://x/sync/db')).rejects.toThrow();
		expect(refreshDown.lastFailure).toEqual({ kind: 'http', status: 503, retryAfterMs: undefined });
	});
	it('gives up a request that stalls, as a dropped connection, so the sync can end and be retried', async () => {
		const stalled: typeof fetch = (_input, init) =>
			new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
		const f = syncFetch({ tokens: tokens(), fetch: stalled, requestTimeoutMs: 5 });
		await expect(f.fetch('http://x/sync/db/_changes')).rejects.toMatchObject({ name: 'TimeoutError' });
		expect(f.lastFailure).toEqual({ kind: 'network' });
	});

	it('passes PouchDB’s own cancel on to the request, without calling it a network failure', async () => {
		// Like fetch: refuses at once when already cancelled, else when cancelled.
		const stalled: typeof fetch = (_input, init) =>
			new Promise((_resolve, reject) => {
				const refuse = () => reject(new DOMException('aborted', 'AbortError'));
				if (init?.signal?.aborted) refuse();
				init?.signal?.addEventListener('abort', refuse);
			});
		const f = syncFetch({ tokens: tokens(), fetch: stalled });
		const cancel = new AbortController();
		const request = f.fetch('http://x/sync/db/_changes', { signal: cancel.signal });
		cancel.abort();
		await expect(request).rejects.toMatchObject({ name: 'AbortError' });
		expect(f.lastFailure).toBeUndefined();
	});
});
