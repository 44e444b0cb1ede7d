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
	}

	export interface Changes {
		on(event: 'change', listener: (change: { id: string; seq: number | string }) => void): this;
		on(event: 'error', listener: (error: unknown) => void): this;
		cancel(): void;
	}

	/** PouchDB's errors carry CouchDB's status and name; callers match on those. */
	export interface PouchError extends Error {
		status?: number;
		name: string;
	}

	export default class PouchDB<T extends object = object> {
		constructor(name: string, options?: { adapter?: string; auto_compaction?: boolean; revs_limit?: number });
		static plugin(plugin: unknown): typeof PouchDB;
		readonly name: string;
		put(doc: T & PouchDocument): Promise<PutResult>;
		get(id: string): Promise<T & PouchDocument & { _rev: string }>;
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
declare module 'pouchdb-replication' {
	const plugin: unknown;
	export default plugin;
}
