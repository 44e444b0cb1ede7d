/**
 * The replication endpoint: enough of CouchDB's HTTP API under `/sync/` for a stock PouchDB to
 * replicate a learner's database both ways (docs/sync.md, docs/api.md "Replication").
 *
 * Every request for `/sync/<db>…` is authenticated first, and the token's database must be
 * `<db>` — checked in `onRequest`, before the body is read, so a stranger's request is refused
 * without its body ever being parsed, and with the same 403 whether `<db>` exists or not.
 * The routes know nothing of the store behind them.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../http/errors.js';
import { StoreError, type JsonObject, type Query, type Store } from '../store/store.js';
import { MAX_DOCUMENT_BYTES, sortIncomingDocuments, type AcceptedDocument, type Learner } from './incoming-docs.js';

export type { Learner } from './incoming-docs.js';

/** Who sends this request; throws an error with `statusCode` 401 when nobody valid does. */
export type Authenticate = (request: FastifyRequest) => Promise<Learner>;

/** Called once a `_bulk_docs` batch stored at least one document; its failures are logged, never sent to the phone. */
export type OnDocsStored = (learner: Learner, stored: AcceptedDocument[]) => Promise<void>;

export interface SyncRoutesOptions {
	store: Store;
	authenticate: Authenticate;
	onDocsStored?: OnDocsStored;
	/** Longest a long-poll is held (default 25 s): below the idle timeouts of common proxies and carrier NATs. */
	longpollMaxMs?: number;
}

/**
 * Body limit of `_bulk_docs`. A replication batch is up to 100 documents (PouchDB's batch_size)
 * of up to 64 KB each plus their histories; under the server's 1 MiB limit a batch of large
 * documents would be refused whole with 413, for ever. 8 MiB holds the worst honest batch. The
 * limit counts decompressed bytes, so a small gzip bomb is refused just the same.
 */
export const BULK_DOCS_BODY_LIMIT = 8 * 1024 * 1024;
const DEFAULT_LONGPOLL_MAX_MS = 25_000;

/** Where the server's replication id lives: every server in front of one CouchDB answers the same uuid. */
export const SERVER_DATABASE = 'sikho-server';
const SERVER_ID_DOC = '_local/server-id';
/** The version of this replication endpoint in `GET /sync/` (not CouchDB's: clients must not infer features from it). */
const ENDPOINT_VERSION = '1.0.0';

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function httpError(statusCode: number, message: string): Error & { statusCode: number } {
	return Object.assign(new Error(message), { statusCode });
}

/** Fastify's parsed query as CouchDB's: one text value per name. */
function queryOf(request: FastifyRequest): Query {
	const query: Query = {};
	for (const [name, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
		if (typeof value !== 'string') throw httpError(400, `Query parameter ${name.slice(0, 40)} is given more than once`);
		query[name] = value;
	}
	return query;
}

function bodyObject(request: FastifyRequest): JsonObject {
	if (!isObject(request.body)) throw httpError(400, 'The request body must be a JSON object');
	return request.body;
}

/** `_changes` query with what this endpoint serves: normal and long-poll feeds, `_doc_ids` filter, bounded waits. */
function changesQuery(query: Query, longpollMaxMs: number): Query {
	const { feed, filter } = query;
	if (feed !== undefined && feed !== 'normal' && feed !== 'longpoll') throw httpError(400, 'Only feed=normal and feed=longpoll are served');
	if (filter !== undefined && filter !== '_doc_ids') throw httpError(400, 'Only filter=_doc_ids is served');
	if (feed !== 'longpoll') {
		const { feed: _feed, heartbeat: _heartbeat, timeout: _timeout, ...normal } = query;
		return normal;
	}
	// The wait is bounded instead of kept alive with heartbeats: a poll answered empty is asked
	// again, and no proxy between here and a phone sees an idle connection long enough to cut it.
	const { heartbeat: _heartbeat, ...rest } = query;
	const asked = rest.timeout !== undefined && /^\d{1,15}$/.test(rest.timeout) ? Number(rest.timeout) : longpollMaxMs;
	return { ...rest, timeout: String(Math.min(asked, longpollMaxMs)) };
}

/** The server's replication id, made once and kept in the store. */
async function readServerId(store: Store): Promise<string> {
	await store.ensureDatabase(SERVER_DATABASE);
	const db = store.database(SERVER_DATABASE);
	for (;;) {
		try {
			const doc = (await db.get(SERVER_ID_DOC)) as { uuid?: unknown };
			if (typeof doc.uuid === 'string') return doc.uuid;
			throw new Error(`${SERVER_DATABASE}/${SERVER_ID_DOC} has no uuid`);
		} catch (error) {
			if (!(error instanceof StoreError && error.status === 404)) throw error;
		}
		try {
			const uuid = randomUUID().replaceAll('-', '');
			await db.put({ _id: SERVER_ID_DOC, uuid });
			return uuid;
		} catch (error) {
			// Another server made it first: read theirs.
			if (!(error instanceof StoreError && error.status === 409)) throw error;
		}
	}
}

export async function syncRoutes(app: FastifyInstance, options: SyncRoutesOptions): Promise<void> {
	const { store, authenticate, onDocsStored } = options;
	const longpollMaxMs = options.longpollMaxMs ?? DEFAULT_LONGPOLL_MAX_MS;
	const learners = new WeakMap<FastifyRequest, Learner>();
	let serverId: Promise<string> | undefined;

	const learnerOf = (request: FastifyRequest): Learner => {
		const learner = learners.get(request);
		// onRequest ran for every /sync/<db> route; reaching here without it is a bug, not a client's fault.
		if (!learner) throw new Error('sync route reached without authentication');
		return learner;
	};
	const databaseOf = (request: FastifyRequest) => store.database((request.params as { db: string }).db);

	// PouchDB labels every request JSON, bodyless ones (PUT of a database, DELETE) included;
	// an empty body here is no body, not malformed JSON. Anything else is parsed as Fastify does.
	const json = app.getDefaultJsonParser('error', 'error');
	app.removeContentTypeParser('application/json');
	app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
		const text = body.toString();
		if (text === '') return done(null, undefined);
		json(request, text, done);
	});

	app.addHook('onRequest', async (request) => {
		const params = request.params as { db?: string } | undefined;
		if (params?.db === undefined) return; // GET /sync/: the server's id, no learner's data
		const learner = await authenticate(request);
		if (learner.db !== params.db) throw httpError(403, 'This token is for another database');
		learners.set(request, learner);
	});

	// CouchDB's names for store failures (`file_exists`, `conflict`, …), which PouchDB matches on;
	// anything else, and every 5xx, goes to the server's own handler.
	const parentHandler = app.errorHandler;
	app.setErrorHandler(function (this: FastifyInstance, error: FastifyError | StoreError, request, reply) {
		if (error instanceof StoreError && error.status < 500) return reply.code(error.status).send({ error: error.error, reason: error.reason });
		const fallback = error instanceof StoreError ? Object.assign(new Error(error.reason), { statusCode: error.status }) : error;
		return parentHandler.call(this, fallback, request, reply);
	});

	const notAllowed = async (request: FastifyRequest, reply: FastifyReply) =>
		reply.code(405).header('allow', allowedBy.get(request.routeOptions.url ?? '') ?? '').send(errorBody(405, `${request.method} is not allowed here`));
	const allowedBy = new Map<string, string>();

	/** The path's handlers, and 405 for every other method Fastify knows. */
	function path(url: string, handlers: Partial<Record<'GET' | 'PUT' | 'POST' | 'DELETE', (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>>>, bodyLimit?: number): void {
		const methods = Object.keys(handlers);
		allowedBy.set(url, [...methods, ...(methods.includes('GET') ? ['HEAD'] : [])].join(', '));
		for (const [method, handler] of Object.entries(handlers)) app.route({ method, url, handler, ...(bodyLimit ? { bodyLimit } : {}) });
		// HEAD comes with GET; for the rest, the client learns what is allowed.
		const others = app.supportedMethods.filter((method) => !methods.includes(method) && !(method === 'HEAD' && methods.includes('GET')));
		app.route({ method: others, url, handler: notAllowed });
	}

	path('/sync/', {
		GET: async () => {
			serverId ??= readServerId(store).catch((error: unknown) => {
				serverId = undefined;
				throw error;
			});
			return { couchdb: 'Welcome', uuid: await serverId, version: ENDPOINT_VERSION, vendor: { name: 'Sikho' } };
		}
	});

	const database = {
		GET: async (request: FastifyRequest) => databaseOf(request).info(),
		// PouchDB creates its remote database before the first replication. The learner's own is
		// made at registration; if it went missing, the token entitles them to it.
		PUT: async (request: FastifyRequest, reply: FastifyReply) => {
			const { db } = request.params as { db: string };
			try {
				await store.database(db).info();
			} catch (error) {
				if (!(error instanceof StoreError && error.status === 404)) throw error;
				await store.ensureDatabase(db);
				return reply.code(201).send({ ok: true });
			}
			throw new StoreError(412, 'file_exists', 'The database could not be created, the file already exists.');
		}
	};
	// PouchDB asks for its database with a trailing slash; CouchDB answers both.
	path('/sync/:db', database);
	path('/sync/:db/', database);

	const localId = (request: FastifyRequest) => `_local/${(request.params as { '*': string })['*']}`;
	path('/sync/:db/_local/*', {
		GET: async (request) => databaseOf(request).get(localId(request), queryOf(request)),
		PUT: async (request, reply) => {
			const body = bodyObject(request);
			if (Buffer.byteLength(JSON.stringify(body)) > MAX_DOCUMENT_BYTES) throw httpError(413, `A local document is at most ${MAX_DOCUMENT_BYTES} bytes`);
			const result = await databaseOf(request).put({ ...body, _id: localId(request) });
			return reply.code(201).send(result);
		},
		DELETE: async (request) => {
			const rev = queryOf(request).rev;
			if (!rev) throw httpError(400, 'DELETE needs ?rev=');
			return databaseOf(request).remove(localId(request), rev);
		}
	});

	const changes = async (request: FastifyRequest, reply: FastifyReply, body?: JsonObject) => {
		const query = changesQuery(queryOf(request), longpollMaxMs);
		// A phone that gives up on its long-poll frees the wait at once.
		const gone = new AbortController();
		const onClose = () => {
			if (!reply.raw.writableFinished) gone.abort();
		};
		reply.raw.once('close', onClose);
		try {
			return await databaseOf(request).changes(query, body, gone.signal);
		} finally {
			reply.raw.off('close', onClose);
		}
	};
	path('/sync/:db/_changes', {
		GET: (request, reply) => changes(request, reply),
		POST: (request, reply) => changes(request, reply, bodyObject(request))
	});

	path('/sync/:db/_revs_diff', { POST: async (request) => databaseOf(request).revsDiff(bodyObject(request)) });

	path(
		'/sync/:db/_bulk_docs',
		{
			POST: async (request, reply) => {
				const body = bodyObject(request);
				if (!Array.isArray(body.docs)) throw httpError(400, 'docs must be a list of documents');
				if (body.new_edits !== undefined && typeof body.new_edits !== 'boolean') throw httpError(400, 'new_edits must be true or false');
				const learner = learnerOf(request);
				const sorted = sortIncomingDocuments(body.docs, learner);
				for (const refusal of sorted.refused) request.log.warn({ db: learner.db, id: refusal.id, rev: refusal.rev, reason: refusal.reason }, 'document refused');

				const results = sorted.toStore.length > 0 ? await databaseOf(request).bulkDocs({ docs: sorted.toStore, ...(body.new_edits === false ? { new_edits: false } : {}) }) : [];
				const failed = new Set(results.filter((result) => isObject(result) && 'error' in result).map((result) => (result as JsonObject).id));
				const stored = sorted.accepted.filter((doc) => !failed.has(doc._id));
				if (stored.length > 0 && onDocsStored) {
					// Awaited, so what it writes (a certificate) is there for the phone's next pull;
					// a failure is the server's to fix and must not stop the phone's sync.
					try {
						await onDocsStored(learner, stored);
					} catch (error) {
						request.log.error({ err: error, db: learner.db }, 'after storing documents');
					}
				}
				return reply.code(201).send([...results, ...sorted.refused]);
			}
		},
		BULK_DOCS_BODY_LIMIT
	);

	path('/sync/:db/_bulk_get', {
		POST: async (request) => {
			const body = bodyObject(request);
			if (!Array.isArray(body.docs)) throw httpError(400, 'docs must be a list of {id, rev}');
			return databaseOf(request).bulkGet(body, queryOf(request));
		}
	});

	path('/sync/:db/_all_docs', {
		GET: async (request) => databaseOf(request).allDocs(queryOf(request)),
		POST: async (request) => databaseOf(request).allDocs(queryOf(request), bodyObject(request))
	});

	path('/sync/:db/*', {
		GET: async (request) => {
			const id = (request.params as { '*': string })['*'];
			// Design documents and other reserved ids are never stored here (see incoming-docs.ts);
			// CouchDB would answer `_security` and friends, which are not a learner's business.
			if (id === '' || id.startsWith('_')) throw new StoreError(404, 'not_found', 'missing');
			return databaseOf(request).get(id, queryOf(request));
		}
	});
}
