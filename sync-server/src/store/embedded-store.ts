/**
 * The embedded store: every database is a PouchDB on LevelDB in its own folder under `root`
 * (DATA_DIR/learners), so a laptop serves Sikho with nothing else installed. PouchDB keeps the
 * revision trees, conflicts and checkpoints; this maps the CouchDB-shaped operations of
 * `store.ts` onto PouchDB's API and PouchDB's answers back into CouchDB's JSON.
 *
 * pouchdb-node creates a database whenever it opens one, so existence is tracked here: a
 * database exists once its folder does (or `ensureDatabase` made it), and every operation on one
 * that does not fails with `404 not_found` without opening — and so creating — anything.
 */
import { existsSync } from 'node:fs';
import { access, constants, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import PouchDB, { type PouchConstructor, type PouchDatabase } from 'pouchdb-node';
import { checkDatabaseName } from './database-name.js';
import { DatabaseWrites } from './database-writes.js';
import { allDocsOptions, bulkGetOptions, changesOptions, getOptions, longpollTimeout } from './couch-query.js';
import { bulkGetResult } from './couch-shapes.js';
import { OpenDatabases } from './open-databases.js';
import { StoreError, type Database, type JsonObject, type Query, type Store } from './store.js';

/** Open LevelDB handles at most; each costs a few file handles and some memory. */
export const DEFAULT_MAX_OPEN = 200;

export interface EmbeddedStoreOptions {
	/** The folder holding one sub-folder per database. */
	root: string;
	/** PouchDB with its adapters (default: pouchdb-node, LevelDB); tests pass one with the memory adapter. */
	PouchDB?: PouchConstructor;
	/** The adapter to open databases with (default: PouchDB's own, LevelDB for pouchdb-node). */
	adapter?: string;
	maxOpen?: number;
}

type PouchFailure = { status: number; name: string; message?: string; reason?: string };

function isPouchFailure(error: unknown): error is PouchFailure {
	const e = error as Partial<PouchFailure> | null;
	return typeof e === 'object' && e !== null && typeof e.status === 'number' && typeof e.name === 'string';
}

/** PouchDB's error as the StoreError CouchDB would have answered; anything else (disk, bug) is thrown as it is. */
function storeError(error: unknown): unknown {
	if (error instanceof StoreError || !isPouchFailure(error)) return error;
	return new StoreError(error.status, error.name, error.reason ?? error.message ?? error.name);
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** One `_bulk_docs` answer entry as CouchDB writes it: `{ok, id, rev}` or `{id, rev?, error, reason}`. */
function bulkResult(entry: unknown): JsonObject {
	if (!isObject(entry)) return { error: 'unknown_error', reason: 'no result' };
	if (isPouchFailure(entry) || entry.error) {
		const failure = entry as Partial<PouchFailure> & { id?: unknown; rev?: unknown };
		const result: JsonObject = { id: failure.id, error: failure.name ?? 'unknown_error', reason: failure.reason ?? failure.message ?? 'failed' };
		if (typeof failure.rev === 'string') result.rev = failure.rev;
		return result;
	}
	return { ok: true, id: entry.id, rev: entry.rev };
}

export class EmbeddedStore implements Store {
	readonly kind = 'embedded' as const;
	private readonly known = new Set<string>();
	private readonly writes = new DatabaseWrites();
	private closed = false;
	private readonly open: OpenDatabases<PouchDatabase>;

	private constructor(private readonly options: EmbeddedStoreOptions) {
		const Pouch = options.PouchDB ?? PouchDB;
		const adapter = options.adapter;
		this.open = new OpenDatabases((name) => new Pouch(this.location(name), adapter ? { adapter } : {}), options.maxOpen ?? DEFAULT_MAX_OPEN);
	}

	/** The store over `root`, which is made if missing. */
	static async open(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
		await mkdir(options.root, { recursive: true });
		return new EmbeddedStore(options);
	}

	/** Open LevelDB handles now (at most `maxOpen` between requests). */
	get openDatabases(): number {
		return this.open.openCount;
	}

	/** Long-polls waiting for a write now; they hold no database open. */
	get waitingLongpolls(): number {
		return this.writes.waiters;
	}

	// The folder name is the database name URI-encoded: `/` and every other character a file
	// system might read specially becomes `%xx`, and distinct names stay distinct.
	private location(name: string): string {
		return join(this.options.root, encodeURIComponent(name));
	}

	private exists(name: string): boolean {
		if (this.known.has(name)) return true;
		if (!existsSync(this.location(name))) return false;
		this.known.add(name);
		return true;
	}

	async ensureDatabase(name: string): Promise<void> {
		checkDatabaseName(name);
		// Opening creates it; `info` waits until it is on disk.
		await this.open.use(name, (db) => db.info());
		this.known.add(name);
	}

	/** Runs `work` on the database, which must exist, with PouchDB's errors as StoreErrors. */
	async run<R>(name: string, work: (db: PouchDatabase) => Promise<R>): Promise<R> {
		checkDatabaseName(name);
		if (!this.exists(name)) throw new StoreError(404, 'not_found', 'Database does not exist.');
		try {
			return await this.open.use(name, work);
		} catch (error) {
			throw storeError(error);
		}
	}

	/** Like `run`, then wakes the database's long-polls. */
	private async write<R>(name: string, work: (db: PouchDatabase) => Promise<R>): Promise<R> {
		try {
			return await this.run(name, work);
		} finally {
			// Even a failed batch may have stored some documents.
			this.writes.written(name);
		}
	}

	database(name: string): Database {
		return {
			info: () =>
				this.run(name, async (db) => {
					const info = await db.info();
					// PouchDB's own name is the folder path, which is nobody's business.
					return { db_name: name, doc_count: info.doc_count, update_seq: info.update_seq };
				}),
			get: (id, query) => this.run(name, (db) => db.get(id, getOptions(query))),
			put: (doc) =>
				this.write(name, async (db) => {
					const result = await db.put(doc);
					return { ok: true as const, id: result.id, rev: result.rev };
				}),
			remove: (id, rev) =>
				this.write(name, async (db) => {
					const result = await db.remove(id, rev);
					return { ok: true as const, id: result.id, rev: result.rev };
				}),
			changes: (query, body, signal) => this.changes(name, query, body, signal),
			revsDiff: (body) => this.run(name, (db) => db.revsDiff(body)),
			bulkDocs: (body) =>
				this.write(name, async (db) => {
					const docs = body.docs;
					if (!Array.isArray(docs)) throw new StoreError(400, 'bad_request', 'docs is a list of documents');
					const newEdits = body.new_edits !== false;
					const results = (await db.bulkDocs(docs, { new_edits: newEdits })).map(bulkResult);
					// CouchDB answers a replicated batch (`new_edits: false`) with its failures only.
					return newEdits ? results : results.filter((result) => 'error' in result);
				}),
			bulkGet: (body, query = {}) =>
				this.run(name, async (db) => {
					const docs = body.docs;
					if (!Array.isArray(docs)) throw new StoreError(400, 'bad_request', 'docs is a list of {id, rev}');
					return bulkGetResult(await db.bulkGet({ docs, ...bulkGetOptions(query) }));
				}),
			allDocs: (query, body) => this.run(name, (db) => db.allDocs(allDocsOptions(query, body)))
		};
	}

	/**
	 * `_changes`. A long-poll with nothing new waits for a write to this database (without holding
	 * it open), then reads again; it answers with no results after `timeout` or on `signal`.
	 */
	private async changes(name: string, query: Query, body: JsonObject | undefined, signal: AbortSignal | undefined): Promise<JsonObject> {
		const options = changesOptions(query, body);
		const read = () => this.run(name, async (db) => ({ ...(await db.changes(options)) }) as JsonObject);
		if (query.feed !== 'longpoll') return read();

		const until = Date.now() + longpollTimeout(query);
		// `now` read twice would skip the write that woke the poll: fix it to a number first.
		if (options.since === 'now') options.since = (await this.run(name, (db) => db.info())).update_seq;
		for (;;) {
			const write = this.writes.next(name, until - Date.now(), signal);
			let result: JsonObject;
			try {
				result = await read();
			} catch (error) {
				write.cancel();
				throw error;
			}
			const results = Array.isArray(result.results) ? result.results : [];
			if (results.length > 0 || signal?.aborted || Date.now() >= until) {
				write.cancel();
				return result;
			}
			await write.settled;
			if (signal?.aborted || this.closed || Date.now() >= until) return result;
		}
	}

	async problem(): Promise<string | undefined> {
		try {
			await access(this.options.root, constants.W_OK);
			return undefined;
		} catch {
			return 'learner data directory is not writable';
		}
	}

	async close(): Promise<void> {
		this.closed = true;
		this.writes.wakeAll();
		await this.open.closeAll();
	}
}
