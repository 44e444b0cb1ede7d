// PouchDB 9 ships no types and @types/pouchdb lags behind it: the part of the API Sikho uses.
declare module 'pouchdb-core' {
	export interface PouchDocument {
		_id: string;
		_rev?: string;
		_deleted?: boolean;
	}

	export interface PutResult {
		ok: boolean;
		id: string;
		rev: string;
	}

	export interface BulkError {
		error: true | string;
		id?: string;
		name?: string;
		status?: number;
		message?: string;
	}

	export interface AllDocsOptions {
		include_docs?: boolean;
		startkey?: string;
		endkey?: string;
		keys?: string[];
		limit?: number;
		descending?: boolean;
	}

	export interface AllDocsResult<T> {
		total_rows: number;
		rows: Array<{ id: string; key: string; value: { rev: string; deleted?: boolean }; doc?: T & PouchDocument }>;
	}

	export interface DatabaseInfo {
		db_name: string;
		doc_count: number;
		update_seq: number | string;
	}

	export interface ChangesOptions {
		since?: number | string | 'now';
		live?: boolean;
		include_docs?: boolean;
		limit?: number;
		/** Only these documents' changes (CouchDB's `filter=_doc_ids`). */
		doc_ids?: string[];
	}

	export interface Change {
		id: string;
		seq: number | string;
		changes: Array<{ rev: string }>;
		deleted?: boolean;
	}

	export interface ChangesResult {
		results: Change[];
		last_seq: number | string;
	}

	/** A changes feed: events while it runs, and (one-shot) the whole result as a promise. */
	export interface Changes extends PromiseLike<ChangesResult> {
		on(event: 'change', listener: (change: Change) => void): this;
		on(event: 'error', listener: (error: unknown) => void): this;
		cancel(): void;
	}

	export interface GetOptions {
		/** Lists the losing revisions in `_conflicts`. */
		conflicts?: boolean;
		rev?: string;
	}

	/** `PouchDB.replicate` options Sikho uses (pouchdb-replication). */
	export interface ReplicateOptions {
		batch_size?: number;
		batches_limit?: number;
		/** Where checkpoints are written: both databases (default), only one, or none. */
		checkpoint?: false | 'source' | 'target';
		retry?: boolean;
	}

	export interface ReplicationResult {
		ok: boolean;
		docs_read: number;
		docs_written: number;
		doc_write_failures: number;
		last_seq: number | string;
		status: string;
	}

	/** A one-shot replication: events while it runs, the result as a promise. */
	export interface Replication extends PromiseLike<ReplicationResult> {
		on(event: 'change', listener: (info: { docs: PouchDocument[] }) => void): this;
		on(event: 'denied', listener: (error: unknown) => void): this;
		cancel(): void;
	}

	/** PouchDB's errors carry CouchDB's status and name; callers match on those. */
	export interface PouchError extends Error {
		status?: number;
		name: string;
	}

	export default class PouchDB<T extends object = object> {
		constructor(
			name: string,
			options?: { adapter?: string; auto_compaction?: boolean; revs_limit?: number; fetch?: typeof fetch; skip_setup?: boolean }
		);
		static plugin(plugin: unknown): typeof PouchDB;
		static replicate(source: PouchDB<object>, target: PouchDB<object>, options?: ReplicateOptions): Replication;
		readonly name: string;
		put(doc: T & PouchDocument): Promise<PutResult>;
		get(id: string, options?: GetOptions): Promise<T & PouchDocument & { _rev: string; _conflicts?: string[] }>;
		bulkDocs(docs: Array<T & PouchDocument>): Promise<Array<PutResult | BulkError>>;
		allDocs(options?: AllDocsOptions): Promise<AllDocsResult<T>>;
		changes(options?: ChangesOptions): Changes;
		info(): Promise<DatabaseInfo>;
		compact(): Promise<{ ok: boolean }>;
		close(): Promise<void>;
		destroy(): Promise<{ ok: boolean }>;
	}
}

declare module 'pouchdb-adapter-indexeddb' {
	const plugin: unknown;
	export default plugin;
}
declare module 'pouchdb-adapter-http' {
	const plugin: unknown;
	export default plugin;
}
declare module 'pouchdb-adapter-memory' {
	const plugin: unknown;
	export default plugin;
}
declare module 'pouchdb-replication' {
	const plugin: unknown;
	export default plugin;
}
