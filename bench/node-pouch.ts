/**
 * Stock PouchDB 9 as a Node client for the sync benchmarks: pouchdb-core with the memory adapter
 * (the phone's database), the HTTP adapter (the server) and replication, all with their defaults.
 *
 * Loaded with `require` and typed here, not in src/pouchdb.d.ts: the app's declarations describe
 * the browser build it ships, and the benches need a few more calls (sync, replicate, the memory
 * adapter, the http adapter's `fetch` and `headers` options).
 */
import { createRequire } from 'node:module';

/** What PouchDB's http adapter hands to `fetch`: a JSON body as text, headers as a Headers-like object. */
export interface PouchFetchInit {
	method?: string;
	headers?: Iterable<[string, string]>;
	body?: string;
	signal?: AbortSignal;
}
export type PouchFetch = (url: string, init?: PouchFetchInit) => Promise<Response>;

export interface ReplicationResult {
	ok: boolean;
	docs_read: number;
	docs_written: number;
	doc_write_failures: number;
	errors: unknown[];
}
export interface SyncResult {
	push: ReplicationResult;
	pull: ReplicationResult;
}

export interface NodePouch {
	readonly name: string;
	info(): Promise<{ db_name: string; doc_count: number; update_seq: number | string }>;
	bulkDocs(docs: object[], options?: { new_edits?: boolean }): Promise<Array<{ ok?: boolean; id?: string; error?: string }>>;
	allDocs(options?: { include_docs?: boolean; limit?: number }): Promise<{ total_rows: number; rows: Array<{ id: string }> }>;
	close(): Promise<void>;
	destroy(): Promise<void>;
}

export interface NodePouchOptions {
	adapter?: 'memory';
	/** http adapter: what to fetch with (default: PouchDB's own, node-fetch with a cookie jar). */
	fetch?: PouchFetch;
	/** http adapter: headers added to every request. */
	headers?: Record<string, string>;
	/** http adapter: do not check for (and create) the database first. */
	skip_setup?: boolean;
}

/** PouchDB's replication options that the benches touch; anything else keeps its default. */
export interface ReplicationOptions {
	batch_size?: number;
	batches_limit?: number;
	checkpoint?: 'source' | 'target' | false;
	retry?: boolean;
}

export interface NodePouchStatic {
	new (name: string, options?: NodePouchOptions): NodePouch;
	/** One-shot both ways (push and pull run side by side); resolves when both are done. */
	sync(local: NodePouch, remote: NodePouch, options?: ReplicationOptions): PromiseLike<SyncResult>;
	/** One-shot one way. */
	replicate(source: NodePouch, target: NodePouch, options?: ReplicationOptions): PromiseLike<ReplicationResult>;
	plugin(plugin: unknown): NodePouchStatic;
}

const require = createRequire(import.meta.url);
const PouchDB = require('pouchdb-core') as NodePouchStatic;
PouchDB.plugin(require('pouchdb-adapter-memory')).plugin(require('pouchdb-adapter-http')).plugin(require('pouchdb-replication'));

export default PouchDB;

let counter = 0;
/** A fresh phone database in memory (names are process-wide in the memory adapter, so each is new). */
export const memoryPouch = (label: string): NodePouch => new PouchDB(`${label}-${process.pid}-${++counter}`, { adapter: 'memory' });

/**
 * Node's own fetch, which keeps connections open as a browser's does. PouchDB's default fetch in
 * Node (node-fetch 2) sends `Connection: close`: a new connection for every request.
 */
export const keepAliveFetch: PouchFetch = (url, init = {}) =>
	fetch(url, { method: init.method, headers: new Headers([...(init.headers ?? [])]), body: init.body, signal: init.signal });

/** One sync both ways between a phone and the server's database at `url`, as some client does it: what it wrote each way. */
export type SyncBothWays = (local: NodePouch, url: string) => Promise<{ pushed: number; pulled: number }>;

/** Stock PouchDB's one-shot sync (push and pull side by side), its defaults untouched but the fetch. */
export const stockSync =
	(fetch?: PouchFetch): SyncBothWays =>
	async (local, url) => {
		const result = await PouchDB.sync(local, new PouchDB(url, fetch ? { fetch } : {}));
		return { pushed: result.push.docs_written, pulled: result.pull.docs_written };
	};
