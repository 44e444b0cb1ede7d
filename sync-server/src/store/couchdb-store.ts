/**
 * The CouchDB store: each operation relayed over HTTP to Apache CouchDB 3 (or any server that
 * speaks its protocol) at COUCHDB_URL. CouchDB takes and answers the same JSON as `store.ts`, so
 * this mostly builds URLs and turns CouchDB's `{error, reason}` answers into StoreErrors.
 *
 * Credentials come from the URL's user part and travel only in the Authorization header; the
 * URL the requests go to, and so any error mentioning it, carries none.
 */
import { checkDatabaseName } from './database-name.js';
import { longpollTimeout } from './couch-query.js';
import { bulkGetResult } from './couch-shapes.js';
import { StoreError, type Database, type JsonObject, type Query, type Store } from './store.js';

export interface CouchDbStoreOptions {
	/** `http(s)://user:password@host:5984/` — a path after the host is kept (CouchDB behind a proxy). */
	url: string;
	/**
	 * A long-poll is ended here `timeout` plus this long after it began, whether or not the server
	 * answered: not every CouchDB-protocol server or proxy honours `timeout`, and a request must
	 * never hang a phone's sync (nor this server's shutdown) for ever.
	 */
	longpollGraceMs?: number;
	/** How long `problem()` waits for CouchDB before calling it unreachable. */
	healthTimeoutMs?: number;
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A document id in a URL: `_local/` and `_design/` keep their slash, as CouchDB routes them; all else is encoded. */
export function documentPath(id: string): string {
	for (const prefix of ['_local/', '_design/']) {
		if (id.startsWith(prefix)) return prefix + encodeURIComponent(id.slice(prefix.length));
	}
	return encodeURIComponent(id);
}

function queryString(query: Query | undefined): string {
	const params = new URLSearchParams(query ?? {});
	const text = params.toString();
	return text ? `?${text}` : '';
}

function isAbort(error: unknown): boolean {
	return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

export class CouchDbStore implements Store {
	readonly kind = 'couchdb' as const;
	/** The server's URL without credentials, ending in `/`. */
	private readonly base: string;
	private readonly authorization: string | undefined;
	private readonly grace: number;
	private readonly healthTimeout: number;

	constructor(options: CouchDbStoreOptions) {
		const url = new URL(options.url);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('COUCHDB_URL must be http or https');
		if (url.username || url.password) {
			const user = decodeURIComponent(url.username);
			const password = decodeURIComponent(url.password);
			this.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
		}
		url.username = '';
		url.password = '';
		url.search = '';
		url.hash = '';
		this.base = url.href.endsWith('/') ? url.href : `${url.href}/`;
		this.grace = options.longpollGraceMs ?? 5_000;
		this.healthTimeout = options.healthTimeoutMs ?? 3_000;
	}

	/** One request; the parsed JSON answer, or a StoreError with CouchDB's status and name. */
	private async request(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> {
		const headers: Record<string, string> = { accept: 'application/json' };
		if (this.authorization) headers.authorization = this.authorization;
		if (body !== undefined) headers['content-type'] = 'application/json';
		let response: Response;
		try {
			response = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
		} catch (error) {
			if (isAbort(error)) throw error;
			throw new StoreError(503, 'service_unavailable', 'CouchDB is not reachable');
		}
		const text = await response.text();
		let answer: unknown;
		try {
			answer = text ? JSON.parse(text) : undefined;
		} catch {
			throw new StoreError(502, 'unknown_error', `CouchDB answered ${response.status} with something other than JSON`);
		}
		if (!response.ok) {
			const error = isObject(answer) && typeof answer.error === 'string' ? answer.error : 'unknown_error';
			const reason = isObject(answer) && typeof answer.reason === 'string' ? answer.reason : response.statusText;
			throw new StoreError(response.status, error, reason);
		}
		return answer;
	}

	async ensureDatabase(name: string): Promise<void> {
		checkDatabaseName(name);
		try {
			await this.request('PUT', encodeURIComponent(name));
		} catch (error) {
			// 412: it exists already, which is what was asked for.
			if (!(error instanceof StoreError && error.status === 412)) throw error;
		}
	}

	database(name: string): Database {
		const db = encodeURIComponent(name);
		const request = async (method: string, path: string, body?: unknown, signal?: AbortSignal) => {
			checkDatabaseName(name);
			return this.request(method, path ? `${db}/${path}` : db, body, signal);
		};
		return {
			info: async () => (await request('GET', '')) as JsonObject,
			get: (id, query) => request('GET', documentPath(id) + queryString(query)),
			put: async (doc) => {
				const result = (await request('PUT', documentPath(doc._id), doc)) as { id: string; rev: string };
				return { ok: true as const, id: result.id, rev: result.rev };
			},
			remove: async (id, rev) => {
				const result = (await request('DELETE', documentPath(id) + queryString({ rev }))) as { id: string; rev: string };
				return { ok: true as const, id: result.id, rev: result.rev };
			},
			changes: (query, body, signal) => this.changes(request, query, body, signal),
			revsDiff: async (body) => (await request('POST', '_revs_diff', body)) as JsonObject,
			bulkDocs: async (body) => (await request('POST', '_bulk_docs', body)) as unknown[],
			// CouchDB answers in this shape already; a PouchDB-based server does not.
			bulkGet: async (body, query) => bulkGetResult(await request('POST', `_bulk_get${queryString(query)}`, body)),
			allDocs: async (query, body) => (await request(body ? 'POST' : 'GET', `_all_docs${queryString(query)}`, body)) as JsonObject
		};
	}

	private async changes(
		request: (method: string, path: string, body?: unknown, signal?: AbortSignal) => Promise<unknown>,
		query: Query,
		body: JsonObject | undefined,
		signal: AbortSignal | undefined
	): Promise<JsonObject> {
		const method = body ? 'POST' : 'GET';
		if (query.feed !== 'longpoll') return (await request(method, `_changes${queryString(query)}`, body, signal)) as JsonObject;

		// CouchDB lets `heartbeat` override `timeout` (a long-poll with both waits for ever); the
		// wait must end, so no heartbeat is passed on.
		const { heartbeat: _heartbeat, ...rest } = query;
		const timeout = longpollTimeout(query);
		const longpoll: Query = { ...rest, timeout: String(timeout) };
		const deadline = AbortSignal.timeout(timeout + this.grace);
		try {
			return (await request(method, `_changes${queryString(longpoll)}`, body, signal ? AbortSignal.any([signal, deadline]) : deadline)) as JsonObject;
		} catch (error) {
			if (!isAbort(error)) throw error;
			if (signal?.aborted) return { results: [], last_seq: query.since ?? 0 };
			// The server kept the poll past its timeout: answer as a timed-out poll would, with
			// whatever came meanwhile.
			const { feed: _feed, timeout: _timeout, ...normal } = longpoll;
			return (await request(method, `_changes${queryString(normal)}`, body)) as JsonObject;
		}
	}

	async problem(): Promise<string | undefined> {
		try {
			await this.request('GET', '', undefined, AbortSignal.timeout(this.healthTimeout));
			return undefined;
		} catch (error) {
			if (isAbort(error)) return 'CouchDB did not answer in time';
			if (error instanceof StoreError && error.status === 503) return 'CouchDB is not reachable';
			return `CouchDB answered ${error instanceof StoreError ? error.status : 'with an error'}`;
		}
	}

	async close(): Promise<void> {
		// Nothing to release: requests use Node's shared connection pool.
	}
}
