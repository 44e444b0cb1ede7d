/**
 * Where learners' data lives, behind one interface: the embedded store (PouchDB on LevelDB under
 * DATA_DIR, the default) or Apache CouchDB over HTTP (COUCHDB_URL). Routes and services call only
 * this; none of them knows which store is behind it.
 *
 * The operations are the CouchDB replication protocol's, taking and returning CouchDB's JSON, so
 * the CouchDB store can relay them as they are and the embedded store maps them onto PouchDB's
 * own API. Revision trees, checkpoints and conflict winners stay the store's job.
 */

/** A JSON object as CouchDB sends and takes it. */
export type JsonObject = { [key: string]: unknown };

/** Query-string parameters as CouchDB takes them (values as JSON text where CouchDB wants JSON, e.g. `open_revs`). */
export type Query = Record<string, string>;

/** A failure with CouchDB's status and name (`not_found`, `conflict`, `forbidden`, …); callers match on `error`. */
export class StoreError extends Error {
	override name = 'StoreError';
	constructor(
		readonly status: number,
		readonly error: string,
		readonly reason: string
	) {
		super(reason);
	}
}

export interface Database {
	/** `GET /<db>`: name, doc count, update sequence. */
	info(): Promise<JsonObject>;
	/** `GET /<db>/<id>` with CouchDB's query (`rev`, `revs`, `open_revs`, `latest`, …); `_local/…` ids too. */
	get(id: string, query?: Query): Promise<unknown>;
	/** `PUT /<db>/<id>`: a new revision (`_rev` given to update); `_local/…` ids too. */
	put(doc: JsonObject & { _id: string }): Promise<{ ok: true; id: string; rev: string }>;
	/** `DELETE /<db>/<id>?rev=`. */
	remove(id: string, rev: string): Promise<{ ok: true; id: string; rev: string }>;
	/** `GET|POST /<db>/_changes` (normal or longpoll; `doc_ids` in the body with `filter=_doc_ids`). Longpoll ends early on `signal`. */
	changes(query: Query, body?: JsonObject, signal?: AbortSignal): Promise<JsonObject>;
	/** `POST /<db>/_revs_diff`. */
	revsDiff(body: JsonObject): Promise<JsonObject>;
	/** `POST /<db>/_bulk_docs`: `{docs, new_edits}`; one result per document, errors included, as CouchDB answers. */
	bulkDocs(body: JsonObject): Promise<unknown[]>;
	/** `POST /<db>/_bulk_get`. */
	bulkGet(body: JsonObject, query?: Query): Promise<JsonObject>;
	/** `GET|POST /<db>/_all_docs` (`keys` in the body). */
	allDocs(query?: Query, body?: JsonObject): Promise<JsonObject>;
}

export interface Store {
	readonly kind: 'embedded' | 'couchdb';
	/** Creates the database if it does not exist; calling it again changes nothing. */
	ensureDatabase(name: string): Promise<void>;
	/** The database by name; operations on one that does not exist fail with `StoreError(404, 'not_found')`. */
	database(name: string): Database;
	/** Whether the store can serve and store now (for `/healthz`); the problem otherwise. */
	problem(): Promise<string | undefined>;
	close(): Promise<void>;
}
