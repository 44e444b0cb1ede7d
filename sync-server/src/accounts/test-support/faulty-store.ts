/**
 * Wraps any `Store` and fails the calls a test picks, as a store that went away mid-request
 * would (to show that a registration cut short leaves a state a retry finishes), or lets another
 * writer in just before a `put` (to show what a race between two servers does, deterministically).
 */
import { StoreError, type Database, type JsonObject, type Store } from '../../store/store.js';

export interface Faults {
	/** Fail this `ensureDatabase(name)`? */
	ensureDatabase?: (name: string) => boolean;
	/** Fail this `put` into database `db`? */
	put?: (db: string, doc: JsonObject & { _id: string }) => boolean;
	/** Runs before each `put` reaches the store, with the store itself: another writer getting in first. */
	beforePut?: (db: string, doc: JsonObject & { _id: string }, store: Store) => Promise<void>;
}

const unavailable = () => new StoreError(503, 'service_unavailable', 'The store is unavailable (a test fault)');

export function faultyStore(inner: Store, faults: Faults): Store {
	const database = (name: string): Database => {
		const db = inner.database(name);
		return {
			info: () => db.info(),
			get: (id, query) => db.get(id, query),
			put: async (doc) => {
				if (faults.put?.(name, doc)) throw unavailable();
				await faults.beforePut?.(name, doc, inner);
				return db.put(doc);
			},
			remove: (id, rev) => db.remove(id, rev),
			changes: (query, body, signal) => db.changes(query, body, signal),
			revsDiff: (body) => db.revsDiff(body),
			bulkDocs: (body) => db.bulkDocs(body),
			bulkGet: (body, query) => db.bulkGet(body, query),
			allDocs: (query, body) => db.allDocs(query, body)
		};
	};
	return {
		kind: inner.kind,
		ensureDatabase: async (name) => {
			if (faults.ensureDatabase?.(name)) throw unavailable();
			return inner.ensureDatabase(name);
		},
		database,
		problem: () => inner.problem(),
		close: () => inner.close()
	};
}
