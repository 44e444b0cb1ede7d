// PouchDB 9 ships no types: the part of pouchdb-node the embedded store uses, in CouchDB's shapes.
declare module 'pouchdb-node' {
	export interface PouchResult {
		ok: boolean;
		id: string;
		rev: string;
	}

	export interface PouchDatabase {
		info(): Promise<{ doc_count: number; update_seq: number | string }>;
		get(id: string, options?: Record<string, unknown>): Promise<unknown>;
		put(doc: { _id: string; [key: string]: unknown }): Promise<PouchResult>;
		remove(id: string, rev: string): Promise<PouchResult>;
		/** The result is thenable (and an event emitter when `live`, which the store does not use). */
		changes(options: Record<string, unknown>): PromiseLike<{ results: unknown[]; last_seq: number | string }>;
		revsDiff(diff: Record<string, unknown>): Promise<Record<string, unknown>>;
		bulkDocs(docs: unknown[], options?: { new_edits?: boolean }): Promise<unknown[]>;
		bulkGet(options: { docs: unknown[]; revs?: boolean; latest?: boolean }): Promise<{ results: unknown[] }>;
		allDocs(options: Record<string, unknown>): Promise<Record<string, unknown>>;
		close(): Promise<void>;
	}

	export interface PouchConstructor {
		new (name: string, options?: { adapter?: string }): PouchDatabase;
		plugin(plugin: unknown): PouchConstructor;
	}

	const PouchDB: PouchConstructor;
	export default PouchDB;
}

declare module 'pouchdb-adapter-memory' {
	const plugin: unknown;
	export default plugin;
}
