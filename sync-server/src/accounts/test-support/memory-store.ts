/**
 * An in-memory `Store` for the accounts tests, honouring what CouchDB does for the calls accounts
 * make: `get` of a missing document or database is `404 not_found`; `put` without the current
 * `_rev` (or with a stale or unknown one) is `409 conflict`; every accepted `put` makes a new
 * revision `<n>-<hash>`; `ensureDatabase` is idempotent. Every call yields to the event loop
 * first, as a network or disk store would, so concurrent requests really interleave.
 *
 * Replication calls are not needed here and fail loudly rather than pretend.
 */
import { createHash } from 'node:crypto';
import { StoreError, type Database, type JsonObject, type Query, type Store } from '../../store/store.js';

interface Stored {
	rev: string;
	body: JsonObject;
	deleted: boolean;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function nextRev(previous: string | undefined, body: JsonObject): string {
	const generation = previous ? Number(previous.split('-')[0]) + 1 : 1;
	const hash = createHash('md5').update(`${previous ?? ''}${JSON.stringify(body)}`).digest('hex');
	return `${generation}-${hash}`;
}

class MemoryDatabase implements Database {
	constructor(
		private readonly name: string,
		private readonly databases: Map<string, Map<string, Stored>>
	) {}

	private docs(): Map<string, Stored> {
		const docs = this.databases.get(this.name);
		if (!docs) throw new StoreError(404, 'not_found', 'Database does not exist.');
		return docs;
	}

	async info(): Promise<JsonObject> {
		await tick();
		const docs = this.docs();
		return { db_name: this.name, doc_count: [...docs.values()].filter((doc) => !doc.deleted).length };
	}

	async get(id: string): Promise<unknown> {
		await tick();
		const doc = this.docs().get(id);
		if (!doc) throw new StoreError(404, 'not_found', 'missing');
		if (doc.deleted) throw new StoreError(404, 'not_found', 'deleted');
		return { ...structuredClone(doc.body), _id: id, _rev: doc.rev };
	}

	async put(doc: JsonObject & { _id: string }): Promise<{ ok: true; id: string; rev: string }> {
		await tick();
		const docs = this.docs();
		const { _id: id, _rev: givenRev, ...body } = structuredClone(doc);
		const current = docs.get(id);
		// CouchDB: a live document is updated only from its current revision; a new one takes no `_rev`.
		const fits = current && !current.deleted ? givenRev === current.rev : givenRev === undefined || givenRev === current?.rev;
		if (!fits) throw new StoreError(409, 'conflict', 'Document update conflict.');
		const rev = nextRev(current?.rev, body);
		docs.set(id, { rev, body, deleted: false });
		return { ok: true, id, rev };
	}

	async remove(id: string, rev: string): Promise<{ ok: true; id: string; rev: string }> {
		await tick();
		const docs = this.docs();
		const current = docs.get(id);
		if (!current || current.deleted) throw new StoreError(404, 'not_found', 'missing');
		if (current.rev !== rev) throw new StoreError(409, 'conflict', 'Document update conflict.');
		const next = nextRev(current.rev, {});
		docs.set(id, { rev: next, body: {}, deleted: true });
		return { ok: true, id, rev: next };
	}

	private unsupported(what: string): never {
		throw new StoreError(501, 'not_implemented', `The memory store used by the accounts tests has no ${what}`);
	}

	async changes(_query: Query, _body?: JsonObject): Promise<JsonObject> {
		return this.unsupported('_changes');
	}
	async revsDiff(_body: JsonObject): Promise<JsonObject> {
		return this.unsupported('_revs_diff');
	}
	async bulkDocs(_body: JsonObject): Promise<unknown[]> {
		return this.unsupported('_bulk_docs');
	}
	async bulkGet(_body: JsonObject, _query?: Query): Promise<JsonObject> {
		return this.unsupported('_bulk_get');
	}
	async allDocs(_query?: Query, _body?: JsonObject): Promise<JsonObject> {
		return this.unsupported('_all_docs');
	}
}

export class MemoryStore implements Store {
	readonly kind = 'embedded' as const;
	private readonly databases = new Map<string, Map<string, Stored>>();

	async ensureDatabase(name: string): Promise<void> {
		await tick();
		if (!this.databases.has(name)) this.databases.set(name, new Map());
	}

	database(name: string): Database {
		return new MemoryDatabase(name, this.databases);
	}

	async problem(): Promise<string | undefined> {
		return undefined;
	}

	async close(): Promise<void> {}
}
