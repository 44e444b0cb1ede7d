/**
 * A store in memory with CouchDB's answers for what certificates use: `get`, `put` (a second
 * create of one id is a 409 conflict, an update needs the current `_rev`), `remove`, `allDocs`
 * (ranges as JSON text, `include_docs`, `limit`, `skip`, `keys`), `info` and `ensureDatabase`.
 * One revision per document, no history: enough to test issuing, not replication, whose
 * operations throw. Every operation awaits a turn of the event loop first, as a real store does,
 * so concurrent callers interleave the way two servers would.
 */
import { randomUUID } from 'node:crypto';
import { StoreError, type Database, type JsonObject, type Query, type Store } from '../src/store/store.js';

interface Stored {
	rev: string;
	deleted: boolean;
	body: JsonObject;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const nextRev = (rev: string | undefined) => `${rev ? Number.parseInt(rev, 10) + 1 : 1}-${randomUUID().replaceAll('-', '')}`;
const clone = <T>(value: T): T => structuredClone(value);

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
		await turn();
		const docs = [...this.docs().values()];
		return { db_name: this.name, doc_count: docs.filter((d) => !d.deleted).length, doc_del_count: docs.filter((d) => d.deleted).length };
	}

	async get(id: string, query: Query = {}): Promise<unknown> {
		await turn();
		const stored = this.docs().get(id);
		if (!stored || stored.deleted || (query.rev !== undefined && query.rev !== stored.rev)) {
			throw new StoreError(404, 'not_found', stored?.deleted ? 'deleted' : 'missing');
		}
		return { ...clone(stored.body), _id: id, _rev: stored.rev };
	}

	async put(doc: JsonObject & { _id: string }): Promise<{ ok: true; id: string; rev: string }> {
		await turn();
		const docs = this.docs();
		const { _id: id, _rev: given, ...body } = clone(doc);
		const stored = docs.get(id);
		const current = stored && !stored.deleted ? stored.rev : undefined;
		if (given !== current) throw new StoreError(409, 'conflict', 'Document update conflict.');
		const rev = nextRev(stored?.rev);
		docs.set(id, { rev, deleted: false, body });
		return { ok: true, id, rev };
	}

	async remove(id: string, rev: string): Promise<{ ok: true; id: string; rev: string }> {
		await turn();
		const stored = this.docs().get(id);
		if (!stored || stored.deleted) throw new StoreError(404, 'not_found', 'missing');
		if (stored.rev !== rev) throw new StoreError(409, 'conflict', 'Document update conflict.');
		stored.rev = nextRev(rev);
		stored.deleted = true;
		return { ok: true, id, rev: stored.rev };
	}

	async allDocs(query: Query = {}, body?: JsonObject): Promise<JsonObject> {
		await turn();
		const docs = this.docs();
		const includeDocs = query.include_docs === 'true';
		const row = (id: string, stored: Stored) => ({
			id,
			key: id,
			value: { rev: stored.rev },
			...(includeDocs ? { doc: { ...clone(stored.body), _id: id, _rev: stored.rev } } : {})
		});
		const live = [...docs.entries()].filter(([, stored]) => !stored.deleted);
		if (Array.isArray(body?.keys)) {
			const rows = (body.keys as unknown[]).map((key) => {
				const stored = typeof key === 'string' ? docs.get(key) : undefined;
				return stored && !stored.deleted ? row(key as string, stored) : { key, error: 'not_found' };
			});
			return { total_rows: live.length, rows };
		}
		const json = (name: string) => (query[name] === undefined ? undefined : (JSON.parse(query[name]) as string));
		const start = json('startkey') ?? json('start_key');
		const end = json('endkey') ?? json('end_key');
		const inclusiveEnd = query.inclusive_end !== 'false';
		const ids = live
			.map(([id]) => id)
			.sort()
			.filter((id) => (start === undefined || id >= start) && (end === undefined || (inclusiveEnd ? id <= end : id < end)));
		const skip = Number(query.skip ?? 0);
		const limit = query.limit === undefined ? ids.length : Number(query.limit);
		const page = ids.slice(skip, skip + limit);
		return { total_rows: live.length, offset: skip, rows: page.map((id) => row(id, docs.get(id)!)) };
	}

	changes(): Promise<JsonObject> {
		throw new Error('the memory store does not replicate');
	}
	revsDiff(): Promise<JsonObject> {
		throw new Error('the memory store does not replicate');
	}
	bulkDocs(): Promise<unknown[]> {
		throw new Error('the memory store does not replicate');
	}
	bulkGet(): Promise<JsonObject> {
		throw new Error('the memory store does not replicate');
	}
}

export class MemoryStore implements Store {
	readonly kind = 'embedded';
	private readonly databases = new Map<string, Map<string, Stored>>();

	async ensureDatabase(name: string): Promise<void> {
		await turn();
		if (!this.databases.has(name)) this.databases.set(name, new Map());
	}

	database(name: string): Database {
		return new MemoryDatabase(name, this.databases);
	}

	async problem(): Promise<string | undefined> {
		return undefined;
	}

	async close(): Promise<void> {}

	/** Every live document of a database, for assertions; empty when it does not exist. */
	documents(name: string): Array<JsonObject & { _id: string }> {
		return [...(this.databases.get(name)?.entries() ?? [])].filter(([, s]) => !s.deleted).map(([id, s]) => ({ ...clone(s.body), _id: id, _rev: s.rev }));
	}
}
