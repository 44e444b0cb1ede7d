/**
 * A stand-in for the sync-server's `/sync/<db>` routes, as a `fetch` function over an in-memory
 * PouchDB: just the CouchDB replication calls a one-shot PouchDB replication makes with
 * phone-side checkpoints, bearer tokens that can expire or be refused, gzip request bodies, and
 * faults to inject (a dropped connection before or after the server did the work, a status).
 * It lets the real sync-fetch and the real HTTP adapter be tested without a network.
 */
import type PouchDB from 'pouchdb-core';
import { memoryDb } from './memory-pouch';

export const ORIGIN = 'http://sync.test';
export const DB_NAME = 'learner-3f2b8c1e-7d4a-4e0b-9a51-2c6f0d8e4b17';

/** What the server does to one request, before (`fail`) or after (`drop-answer`) doing the work. */
export type Fault = { when: 'before'; status: number; headers?: Record<string, string>; body?: object } | { when: 'before'; network: true } | { when: 'after'; network: true };

export interface Seen {
	method: string;
	path: string;
	authorization: string | null;
	contentEncoding: string | null;
	bodyBytes: number;
}

export class FakeSyncServer {
	readonly db: PouchDB<object> = memoryDb('server');
	/** Tokens the server accepts; anything else gets 401 "access token expired". */
	readonly validTokens = new Set<string>(['token-1']);
	readonly seen: Seen[] = [];
	/** Faults by the number of the request they hit (1-based), or for every request matching a path. */
	readonly faults = new Map<number, Fault>();
	faultWhere: ((seen: Seen) => Fault | undefined) | undefined;

	readonly fetch: typeof fetch = async (input, init = {}) => {
		const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
		const headers = new Headers(init.headers);
		let bytes = init.body ? new Uint8Array(await new Response(init.body).arrayBuffer()) : new Uint8Array();
		const seen: Seen = {
			method: init.method ?? 'GET',
			path: url.pathname,
			authorization: headers.get('Authorization'),
			contentEncoding: headers.get('Content-Encoding'),
			bodyBytes: bytes.byteLength
		};
		this.seen.push(seen);
		const fault = this.faults.get(this.seen.length) ?? this.faultWhere?.(seen);
		if (fault?.when === 'before') {
			if ('network' in fault) throw new TypeError('fetch failed');
			return json(fault.status, fault.body ?? { error: 'unknown_error', reason: 'injected' }, fault.headers);
		}
		if (seen.contentEncoding === 'gzip') {
			bytes = new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
		}
		const token = seen.authorization?.replace(/^Bearer /, '') ?? '';
		if (!this.validTokens.has(token)) return json(401, { error: 'unauthorized', reason: 'access token expired' });
		const body = bytes.byteLength ? (JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>) : {};
		const answer = await this.answer(seen.method, url, body);
		if (fault?.when === 'after') throw new TypeError('fetch failed');
		return answer;
	};

	private async answer(method: string, url: URL, body: Record<string, unknown>): Promise<Response> {
		const path = url.pathname;
		const query = url.searchParams;
		const db = this.db as PouchDB<object> & Extra;
		if (path === '/sync/') return json(200, { couchdb: 'Welcome', uuid: 'fake-server-uuid' });
		const prefix = `/sync/${DB_NAME}`;
		if (!path.startsWith(prefix)) return json(403, { error: 'forbidden', reason: 'not your database' });
		const rest = path.slice(prefix.length);
		if (rest === '' || rest === '/') return json(200, await db.info());
		if (rest === '/_changes') {
			const since = query.get('since') ?? '0';
			const changes = await db.changes({
				since: /^\d+$/.test(since) ? Number(since) : since,
				limit: query.has('limit') ? Number(query.get('limit')) : undefined,
				style: query.get('style') ?? undefined,
				// CouchDB's `filter=_doc_ids`: the ids come in the POST body.
				doc_ids: query.get('filter') === '_doc_ids' ? (body.doc_ids as string[]) : undefined
			});
			return json(200, changes);
		}
		if (rest === '/_revs_diff' && method === 'POST') return json(200, await db.revsDiff(body));
		if (rest === '/_bulk_docs' && method === 'POST') {
			return json(201, await db.bulkDocs(body.docs as object[], { new_edits: body.new_edits as boolean }));
		}
		if (rest === '/_bulk_get' && method === 'POST') {
			return json(200, await db.bulkGet({ docs: body.docs, revs: query.get('revs') === 'true', latest: query.get('latest') === 'true' }));
		}
		return json(404, { error: 'not_found', reason: `${method} ${path}` });
	}
}

/** The parts of PouchDB's API the fake server uses beyond what `src/pouchdb.d.ts` declares. */
interface Extra {
	changes(options: { since: number | string; limit?: number; style?: string; doc_ids?: string[] }): PromiseLike<object>;
	revsDiff(body: object): Promise<object>;
	bulkDocs(docs: object[], options: { new_edits: boolean }): Promise<object>;
	bulkGet(options: object): Promise<object>;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}
