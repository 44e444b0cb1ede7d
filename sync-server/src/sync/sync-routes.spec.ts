/**
 * The replication endpoint against a stock PouchDB 9 client (memory on the "phone", HTTP to the
 * server, only a `fetch` that adds the bearer token), over each store: embedded (memory adapter)
 * and CouchDB (a pouchdb-server peer started here).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import compress from '@fastify/compress';
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import memoryAdapter from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';
import PouchNode from 'pouchdb-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scribe } from '../../../src/lib/progress-model/test-support/history.js';
import { newProfile } from '../../../src/lib/progress-model/profile.js';
import { startCouchPeer } from '../../test-support/couch-peer.js';
import { COMPRESSION } from '../http/compression.js';
import { installErrorHandlers } from '../http/errors.js';
import { BODY_LIMIT_BYTES } from '../server.js';
import { CouchDbStore } from '../store/couchdb-store.js';
import { EmbeddedStore } from '../store/embedded-store.js';
import type { JsonObject, Store } from '../store/store.js';
import type { AcceptedDocument, Learner } from './incoming-docs.js';
import { BULK_DOCS_BODY_LIMIT, syncRoutes, type OnDocsStored } from './sync-routes.js';

// The phone's PouchDB: stock modules, nothing patched.
const Phone = PouchDB.plugin(httpAdapter).plugin(memoryAdapter).plugin(replication);
const ServerPouch = PouchNode.plugin(memoryAdapter);

type PhoneDb = InstanceType<typeof Phone> & {
	replicate: {
		to(target: unknown): Replication;
		from(source: unknown): Replication;
	};
	sync(other: unknown): Promise<{ push: ReplicationResult; pull: ReplicationResult }>;
	get(id: string): Promise<JsonObject>;
	bulkDocs(docs: unknown[], options?: { new_edits?: boolean }): Promise<unknown[]>;
};
interface ReplicationResult {
	ok: boolean;
	docs_written: number;
	doc_write_failures: number;
	errors: unknown[];
}
type Replication = Promise<ReplicationResult> & { on(event: 'denied', listener: (error: JsonObject) => void): Replication };

interface Variant {
	name: string;
	open(): Promise<{ store: Store; done(): Promise<void> }>;
}

const variants: Variant[] = [
	{
		name: 'embedded store',
		async open() {
			const root = await mkdtemp(join(tmpdir(), 'sikho-sync-'));
			const store = await EmbeddedStore.open({ root, PouchDB: ServerPouch, adapter: 'memory' });
			return { store, done: async () => (await store.close(), await rm(root, { recursive: true, force: true })) };
		}
	},
	{
		name: 'CouchDB store (pouchdb-server peer)',
		async open() {
			const peer = await startCouchPeer();
			const store = new CouchDbStore({ url: peer.url, longpollGraceMs: 300 });
			return { store, done: async () => (await store.close(), await peer.stop()) };
		}
	}
];

/** Stands in for the accounts module: tokens handed out by the test. */
function fakeAccounts() {
	const tokens = new Map<string, Learner>();
	return {
		tokens,
		authenticate: async (request: FastifyRequest): Promise<Learner> => {
			const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
			const learner = match?.[1] ? tokens.get(match[1]) : undefined;
			if (!learner) throw Object.assign(new Error('access token missing or not valid'), { statusCode: 401 });
			return learner;
		}
	};
}

interface Server {
	app: FastifyInstance;
	base: string;
	stored: Array<{ learner: Learner; docs: AcceptedDocument[] }>;
	/** A learner with a token; their database made as registration makes it, unless `made` is false. */
	newLearner(made?: boolean): Promise<{ learner: Learner; token: string; url: string }>;
}

async function startServer(store: Store, options: { onDocsStored?: OnDocsStored; longpollMaxMs?: number } = {}): Promise<Server> {
	const app = Fastify({ bodyLimit: BODY_LIMIT_BYTES, forceCloseConnections: true });
	installErrorHandlers(app);
	await app.register(compress, { global: true, ...COMPRESSION });
	const accounts = fakeAccounts();
	const stored: Server['stored'] = [];
	const onDocsStored: OnDocsStored =
		options.onDocsStored ??
		(async (learner, docs) => {
			stored.push({ learner, docs });
		});
	await app.register(syncRoutes, { store, authenticate: accounts.authenticate, onDocsStored, ...(options.longpollMaxMs ? { longpollMaxMs: options.longpollMaxMs } : {}) });
	const base = await app.listen({ port: 0, host: '127.0.0.1' });
	return {
		app,
		base,
		stored,
		async newLearner(made = true) {
			const learnerId = randomUUID();
			const learner = { learnerId, db: `learner-${learnerId}` };
			if (made) await store.ensureDatabase(learner.db);
			const token = `token-${randomUUID()}`;
			accounts.tokens.set(token, learner);
			return { learner, token, url: `${base}/sync/${learner.db}` };
		}
	};
}

let phones = 0;
const phoneDb = () => new Phone(`phone-${process.pid}-${phones++}`, { adapter: 'memory' }) as PhoneDb;

/** The server's database as a stock client sees it, with the token added by `fetch` and nothing else. */
const remoteDb = (url: string, token: string) =>
	new Phone(url, {
		fetch: (target: string, init: { headers: { set(name: string, value: string): void } }) => {
			init.headers.set('Authorization', `Bearer ${token}`);
			return (Phone as unknown as { fetch(target: string, init: unknown): Promise<unknown> }).fetch(target, init);
		}
	} as never) as PhoneDb;

async function serverIds(store: Store, db: string): Promise<string[]> {
	const all = await store.database(db).allDocs();
	return (all.rows as Array<{ id: string }>).map((row) => row.id).sort();
}

function profileDoc() {
	return newProfile({ name: 'Asha Verma', district: 'Pune', language: 'hi' }, () => new Date('2025-03-01T08:00:00.000Z'));
}

describe.each(variants)('replication with a stock PouchDB over the $name', (variant) => {
	let store: Store;
	let done: () => Promise<void>;
	let server: Server;

	beforeAll(async () => {
		({ store, done } = await variant.open());
		server = await startServer(store);
	}, 40_000);

	afterAll(async () => {
		await server?.app.close();
		await done?.();
	});

	it('pushes a profile and events, and pushing again writes nothing', async () => {
		const { learner, token, url } = await server.newLearner();
		const phone = phoneDb();
		const write = scribe({ learnerId: learner.learnerId });
		const events = [write.opened('l1'), write.spent('l1', 60), write.completed('l1'), write.started('l2', '01JNM3X4Y5Z6A7B8C9D0E1F2G3'), write.submitted('l2', '01JNM3X4Y5Z6A7B8C9D0E1F2G3', 80)];
		await phone.bulkDocs([profileDoc(), ...events]);

		const first = await phone.replicate.to(remoteDb(url, token));
		expect(first).toMatchObject({ ok: true, docs_written: 6, doc_write_failures: 0 });
		expect(await serverIds(store, learner.db)).toEqual(['profile', ...events.map((event) => event._id)].sort());
		expect(await store.database(learner.db).get(events[0]!._id)).toMatchObject({ type: 'lesson-opened', learnerId: learner.learnerId });

		const again = await phone.replicate.to(remoteDb(url, token));
		expect(again).toMatchObject({ ok: true, docs_written: 0 });
		expect(await store.database(learner.db).info()).toMatchObject({ doc_count: 6 });

		const told = server.stored.filter((entry) => entry.learner.db === learner.db);
		expect(told.flatMap((entry) => entry.docs.map((doc) => doc._id)).sort()).toEqual(['profile', ...events.map((event) => event._id)].sort());
	});

	it('pulls documents written on the server, once', async () => {
		const { learner, token, url } = await server.newLearner();
		await store.database(learner.db).put({ _id: 'certificate:procurement-essentials', type: 'certificate', percent: 93.75 });
		const phone = phoneDb();

		expect(await phone.replicate.from(remoteDb(url, token))).toMatchObject({ ok: true, docs_written: 1 });
		expect(await phone.get('certificate:procurement-essentials')).toMatchObject({ type: 'certificate', percent: 93.75 });
		expect(await phone.replicate.from(remoteDb(url, token))).toMatchObject({ ok: true, docs_written: 0 });
	});

	it('syncs both ways, and a second sync changes nothing', async () => {
		const { learner, token, url } = await server.newLearner();
		const onPhone = scribe({ learnerId: learner.learnerId, seed: 2 });
		const elsewhere = scribe({ learnerId: learner.learnerId, seed: 3 });
		const phone = phoneDb();
		await phone.bulkDocs([onPhone.opened('l1'), onPhone.completed('l1')]);
		const otherPhone = [elsewhere.opened('l2'), elsewhere.spent('l2', 120)];
		for (const event of otherPhone) await store.database(learner.db).put(event);

		const first = await phone.sync(remoteDb(url, token));
		expect(first.push).toMatchObject({ ok: true, docs_written: 2 });
		expect(first.pull).toMatchObject({ ok: true, docs_written: 2 });
		const second = await phone.sync(remoteDb(url, token));
		expect(second.push.docs_written + second.pull.docs_written).toBe(0);
		expect(await store.database(learner.db).info()).toMatchObject({ doc_count: 4 });
		for (const event of otherPhone) expect(await phone.get(event._id)).toMatchObject({ lessonId: 'l2' });
	});

	it('refuses a bad document alone: the replicator emits denied and stores the rest', async () => {
		const { learner, token, url } = await server.newLearner();
		const phone = phoneDb();
		const good = scribe({ learnerId: learner.learnerId }).opened('l1');
		const someoneElses = scribe({ learnerId: 'someone-else', seed: 9 }).opened('l1');
		const forged = { _id: 'certificate:procurement-essentials', type: 'certificate', percent: 100 };
		const malformed = { ...scribe({ learnerId: learner.learnerId, seed: 4 }).spent('l1', 30), seconds: 'lots' };
		await phone.bulkDocs([good, someoneElses, forged, malformed]);

		const denied: JsonObject[] = [];
		const result = await phone.replicate.to(remoteDb(url, token)).on('denied', (error) => denied.push(error));
		expect(result).toMatchObject({ ok: true, docs_written: 1, doc_write_failures: 3 });
		expect(denied.map((error) => error.id).sort()).toEqual([someoneElses._id, forged._id, malformed._id].sort());
		expect(denied.every((error) => error.name === 'forbidden')).toBe(true);
		expect(await serverIds(store, learner.db)).toEqual([good._id]);
	});

	it('keeps a profile edited on two phones as a conflict, and takes the merge that removes the loser', async () => {
		const { learner, token, url } = await server.newLearner();
		const a = phoneDb();
		const b = phoneDb();
		const base = profileDoc();
		await a.bulkDocs([base]);
		await a.replicate.to(remoteDb(url, token));
		await b.replicate.from(remoteDb(url, token));
		for (const [phone, name] of [
			[a, 'Asha V.'],
			[b, 'Asha Verma-Rao']
		] as const) {
			const current = (await phone.get('profile')) as JsonObject & { _id: string };
			await phone.bulkDocs([{ ...current, name, updatedAt: { ...(current.updatedAt as JsonObject), name: '2025-03-02T08:00:00.000Z' } }]);
			await phone.replicate.to(remoteDb(url, token));
		}
		const onServer = (await store.database(learner.db).get('profile', { conflicts: 'true' })) as JsonObject;
		expect(onServer._conflicts).toHaveLength(1);

		// The app merges and removes the losing revision; the tombstone replicates.
		await a.replicate.from(remoteDb(url, token));
		const loser = (onServer._conflicts as string[])[0]!;
		await (a as unknown as { remove(id: string, rev: string): Promise<unknown> }).remove('profile', loser);
		expect(await a.replicate.to(remoteDb(url, token))).toMatchObject({ ok: true, doc_write_failures: 0 });
		expect(await store.database(learner.db).get('profile', { conflicts: 'true' })).not.toHaveProperty('_conflicts');
	});
});

describe('the replication endpoint', () => {
	let root: string;
	let store: EmbeddedStore;
	let server: Server;

	beforeAll(async () => {
		root = await mkdtemp(join(tmpdir(), 'sikho-sync-'));
		store = await EmbeddedStore.open({ root, PouchDB: ServerPouch, adapter: 'memory' });
		server = await startServer(store, { longpollMaxMs: 400 });
	});

	afterAll(async () => {
		await server.app.close();
		await store.close();
		await rm(root, { recursive: true, force: true });
	});

	const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

	it("answers every route and method of another learner's database with 403, and stores nothing there", async () => {
		const a = await server.newLearner();
		const b = await server.newLearner();
		await store.database(b.learner.db).put({ _id: 'profile-b', kept: true });
		const before = await store.database(b.learner.db).info();
		const event = scribe({ learnerId: a.learner.learnerId }).opened('l1');
		const bodies: Record<string, unknown> = {
			'': {},
			'/_local/checkpoint': { last_seq: 1 },
			'/_changes': { doc_ids: ['profile-b'] },
			'/_revs_diff': { 'profile-b': ['1-abc'] },
			'/_bulk_docs': { docs: [event], new_edits: true },
			'/_bulk_get': { docs: [{ id: 'profile-b' }] },
			'/_all_docs': { keys: ['profile-b'] },
			'/profile-b': { kept: false },
			'/_design/x': {},
			'/_security': {}
		};
		// A database that does not exist gets the same answer: existence does not leak.
		for (const db of [b.learner.db, 'learner-nobody']) {
			for (const [suffix, body] of Object.entries(bodies)) {
				for (const method of server.app.supportedMethods) {
					const url = `/sync/${db}${suffix}`;
					const hasBody = !['GET', 'HEAD', 'TRACE'].includes(method);
					const res = await server.app.inject({
						method: method as 'GET',
						url,
						headers: { ...bearer(a.token), ...(hasBody ? { 'content-type': 'application/json' } : {}) },
						...(hasBody ? { payload: JSON.stringify(body) } : {})
					});
					expect(res.statusCode, `${method} ${url}`).toBe(403);
					if (method !== 'HEAD') expect(res.json(), `${method} ${url}`).toMatchObject({ error: 'forbidden' });
				}
			}
		}
		// Malformed and huge bodies get the same 403: the body is never looked at.
		for (const payload of ['{not json', 'x'.repeat(BULK_DOCS_BODY_LIMIT + 10)]) {
			const res = await server.app.inject({ method: 'POST', url: `/sync/${b.learner.db}/_bulk_docs`, headers: { ...bearer(a.token), 'content-type': 'application/json' }, payload });
			expect(res.statusCode).toBe(403);
		}
		expect(await store.database(b.learner.db).info()).toEqual(before);
		expect(await store.database(b.learner.db).get('profile-b')).toMatchObject({ kept: true });
		await expect(store.database('learner-nobody').info()).rejects.toMatchObject({ status: 404 });
		expect(server.stored.some((entry) => entry.learner.db === b.learner.db)).toBe(false);
	});

	it('answers 401 without a token or with one it does not know', async () => {
		const { learner } = await server.newLearner();
		for (const headers of [{}, { authorization: 'Bearer garbage' }, { authorization: 'Basic YTpi' }]) {
			for (const [method, suffix] of [
				['GET', ''],
				['POST', '/_bulk_docs'],
				['GET', '/_changes']
			] as const) {
				const res = await server.app.inject({ method, url: `/sync/${learner.db}${suffix}`, headers: { ...headers, 'content-type': 'application/json' }, ...(method === 'POST' ? { payload: '{"docs":[]}' } : {}) });
				expect(res.statusCode, `${method} ${suffix} ${JSON.stringify(headers)}`).toBe(401);
				expect(res.json()).toMatchObject({ error: 'unauthorized' });
			}
		}
	});

	it('names itself with a uuid that every server over the same store shares', async () => {
		const first = (await (await fetch(`${server.base}/sync/`)).json()) as { uuid: string };
		expect(first).toMatchObject({ couchdb: 'Welcome', uuid: expect.stringMatching(/^[0-9a-f]{32}$/) });
		const other = await startServer(store);
		try {
			expect(await (await fetch(`${other.base}/sync/`)).json()).toMatchObject({ uuid: first.uuid });
		} finally {
			await other.app.close();
		}
	});

	it("answers PUT of the learner's own database 412 when it exists, and makes it when it does not", async () => {
		const { learner, token } = await server.newLearner();
		const exists = await server.app.inject({ method: 'PUT', url: `/sync/${learner.db}`, headers: bearer(token) });
		expect(exists.statusCode).toBe(412);
		expect(exists.json()).toMatchObject({ error: 'file_exists' });

		const unmade = await server.newLearner(false);
		const before = await server.app.inject({ method: 'GET', url: `/sync/${unmade.learner.db}/`, headers: bearer(unmade.token) });
		expect(before.statusCode).toBe(404);
		// PouchDB sends PUT labelled JSON with no body.
		const made = await server.app.inject({ method: 'PUT', url: `/sync/${unmade.learner.db}/`, headers: { ...bearer(unmade.token), 'content-type': 'application/json' } });
		expect(made.statusCode).toBe(201);
		const after = await server.app.inject({ method: 'GET', url: `/sync/${unmade.learner.db}`, headers: bearer(unmade.token) });
		expect(after.json()).toMatchObject({ db_name: unmade.learner.db, doc_count: 0 });
	});

	it('reads one document by its encoded id, with open revisions, and hides reserved ids', async () => {
		const { learner, url, token } = await server.newLearner();
		const event = scribe({ learnerId: learner.learnerId, courseId: `course-${'x'.repeat(70)}` }).opened('l1');
		const put = await store.database(learner.db).put(event);
		expect(event._id.length).toBeGreaterThan(100);
		const res = await fetch(`${url}/${encodeURIComponent(event._id)}?open_revs=all&revs=true`, { headers: { ...bearer(token), accept: 'application/json' } });
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual([{ ok: expect.objectContaining({ _id: event._id, _rev: put.rev, _revisions: expect.any(Object) }) }]);
		for (const id of ['_design/app', '_security', 'missing']) {
			const missing = await fetch(`${url}/${id}`, { headers: bearer(token) });
			expect(missing.status, id).toBe(404);
			expect(await missing.json()).toMatchObject({ error: 'not_found' });
		}
	});

	it('answers a method a route does not take with 405 and says which it does', async () => {
		const { learner, token } = await server.newLearner();
		const res = await server.app.inject({ method: 'DELETE', url: `/sync/${learner.db}/_changes`, headers: bearer(token) });
		expect(res.statusCode).toBe(405);
		expect(res.json()).toMatchObject({ error: 'method_not_allowed' });
		expect(res.headers.allow).toBe('GET, POST, HEAD');
		const put = await server.app.inject({ method: 'PUT', url: `/sync/${learner.db}/profile`, headers: { ...bearer(token), 'content-type': 'application/json' }, payload: '{}' });
		expect(put.statusCode).toBe(405);
	});

	it('answers 400 for malformed JSON or a batch that is not a list, and 413 above the limit', async () => {
		const { url, token } = await server.newLearner();
		const post = (suffix: string, body: string | Buffer, headers: Record<string, string> = {}) =>
			fetch(`${url}${suffix}`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : new Uint8Array(body) });

		const malformed = await post('/_bulk_docs', '{"docs": [');
		expect(malformed.status).toBe(400);
		expect(await malformed.json()).toMatchObject({ error: 'bad_request' });
		for (const body of ['{"docs": {}}', '[]', '{"docs": [], "new_edits": "no"}']) {
			const res = await post('/_bulk_docs', body);
			expect(res.status, body).toBe(400);
			expect(await res.json()).toMatchObject({ error: 'bad_request' });
		}

		const tooBig = await post('/_bulk_docs', JSON.stringify({ docs: [{ _id: 'x', pad: 'x'.repeat(BULK_DOCS_BODY_LIMIT) }] }));
		expect(tooBig.status).toBe(413);
		expect(await tooBig.json()).toMatchObject({ error: 'too_large' });
		// Other routes keep the server's 1 MiB.
		const bigDiff = await post('/_revs_diff', JSON.stringify({ x: ['1-a'], pad: 'x'.repeat(BODY_LIMIT_BYTES) }));
		expect(bigDiff.status).toBe(413);
	});

	it('takes gzip request bodies, and refuses a gzip bomb by its decompressed size', async () => {
		const { learner, url, token } = await server.newLearner();
		const event = scribe({ learnerId: learner.learnerId }).opened('l1');
		const gzipped = await fetch(`${url}/_bulk_docs`, {
			method: 'POST',
			headers: { ...bearer(token), 'content-type': 'application/json', 'content-encoding': 'gzip' },
			body: gzipSync(JSON.stringify({ docs: [event] }))
		});
		expect(gzipped.status).toBe(201);
		expect(await serverIds(store, learner.db)).toEqual([event._id]);

		const bomb = gzipSync(`{"docs": [${' '.repeat(BULK_DOCS_BODY_LIMIT * 3)}]}`);
		expect(bomb.length).toBeLessThan(BODY_LIMIT_BYTES / 10);
		const res = await fetch(`${url}/_bulk_docs`, {
			method: 'POST',
			headers: { ...bearer(token), 'content-type': 'application/json', 'content-encoding': 'gzip' },
			body: bomb
		});
		expect(res.status).toBe(413);
		expect(await res.json()).toMatchObject({ error: 'too_large' });
	});

	it('holds a long-poll until a write, and answers an idle one empty at its cap', async () => {
		const { learner, url, token } = await server.newLearner();
		const polled = fetch(`${url}/_changes?feed=longpoll&since=now&heartbeat=10000`, { headers: bearer(token) });
		while (store.waitingLongpolls === 0) await new Promise((resolve) => setTimeout(resolve, 10));
		const event = scribe({ learnerId: learner.learnerId }).opened('l1');
		await store.database(learner.db).put(event);
		const answer = (await (await polled).json()) as { results: Array<{ id: string }> };
		expect(answer.results.map((change) => change.id)).toEqual([event._id]);

		// Asked to wait a minute; the server's cap (400 ms here) ends it with nothing.
		const idle = await fetch(`${url}/_changes?feed=longpoll&since=now&timeout=60000`, { headers: bearer(token) });
		expect(await idle.json()).toMatchObject({ results: [] });
		expect(store.waitingLongpolls).toBe(0);
	});

	it('refuses feeds and filters it does not serve', async () => {
		const { url, token } = await server.newLearner();
		for (const query of ['feed=continuous', 'feed=eventsource', 'filter=app/mine', 'since=yesterday']) {
			const res = await fetch(`${url}/_changes?${query}`, { headers: bearer(token) });
			expect(res.status, query).toBe(400);
			expect(await res.json()).toMatchObject({ error: 'bad_request' });
		}
	});

	it('does not fail a sync when the after-store hook fails', async () => {
		const failing = await startServer(store, {
			onDocsStored: async () => {
				throw new Error('certificate service down');
			}
		});
		try {
			const { learner, token } = await failing.newLearner();
			const phone = phoneDb();
			await phone.bulkDocs([scribe({ learnerId: learner.learnerId }).opened('l1')]);
			expect(await phone.replicate.to(remoteDb(`${failing.base}/sync/${learner.db}`, token))).toMatchObject({ ok: true, docs_written: 1 });
		} finally {
			await failing.app.close();
		}
	});
});
