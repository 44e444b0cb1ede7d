/**
 * One suite for every store: whatever is behind `Store`, routes see the same CouchDB answers.
 * Runs over the embedded store (memory adapter and LevelDB on disk), the CouchDB store against a
 * pouchdb-server peer the suite starts itself, and a real CouchDB when COUCHDB_TEST_URL is set.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PouchDB from 'pouchdb-node';
import memoryAdapter from 'pouchdb-adapter-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCouchPeer, type CouchPeer } from '../../test-support/couch-peer.js';
import { CouchDbStore } from './couchdb-store.js';
import { EmbeddedStore } from './embedded-store.js';
import { StoreError, type Database, type JsonObject, type Store } from './store.js';

const MemoryPouch = PouchDB.plugin(memoryAdapter);

interface Variant {
	name: string;
	open(): Promise<{ store: Store; done(): Promise<void> }>;
}

const tempDir = () => mkdtemp(join(tmpdir(), 'sikho-store-'));

const variants: Variant[] = [
	{
		name: 'embedded store (memory adapter)',
		async open() {
			const root = await tempDir();
			const store = await EmbeddedStore.open({ root, PouchDB: MemoryPouch, adapter: 'memory' });
			return { store, done: async () => (await store.close(), await rm(root, { recursive: true, force: true })) };
		}
	},
	{
		name: 'embedded store (LevelDB)',
		async open() {
			const root = await tempDir();
			const store = await EmbeddedStore.open({ root });
			return { store, done: async () => (await store.close(), await rm(root, { recursive: true, force: true })) };
		}
	},
	{
		name: 'CouchDB store (pouchdb-server peer)',
		async open() {
			const peer: CouchPeer = await startCouchPeer();
			const store = new CouchDbStore({ url: peer.url, longpollGraceMs: 300 });
			return { store, done: async () => (await store.close(), await peer.stop()) };
		}
	}
];

const couchTestUrl = process.env.COUCHDB_TEST_URL;
if (couchTestUrl) {
	variants.push({
		name: 'CouchDB store (COUCHDB_TEST_URL)',
		async open() {
			const store = new CouchDbStore({ url: couchTestUrl });
			return { store, done: () => store.close() };
		}
	});
} else {
	console.info('store conformance: COUCHDB_TEST_URL is not set, so the suite does not run against a real CouchDB.');
}

let counter = 0;
/** A fresh database name per test: the stores outlive the tests. */
const freshName = () => `conformance-${process.pid}-${Date.now().toString(36)}-${counter++}`;

async function failure(promise: Promise<unknown>): Promise<StoreError> {
	const error: unknown = await promise.then(
		() => undefined,
		(e: unknown) => e
	);
	if (!(error instanceof StoreError)) throw new Error(`expected a StoreError, got ${String(error)}`);
	return error;
}

const results = (changes: JsonObject) => changes.results as Array<{ id: string; seq: unknown; changes: Array<{ rev: string }>; doc?: JsonObject; deleted?: boolean }>;

/** A replicated document with its history, as PouchDB's replicator writes it. */
const replicated = (id: string, revs: string[], body: JsonObject = {}) => ({
	_id: id,
	_rev: `${revs.length}-${revs[revs.length - 1]}`,
	_revisions: { start: revs.length, ids: [...revs].reverse() },
	...body
});

describe.each(variants)('$name', (variant) => {
	let store: Store;
	let done: () => Promise<void>;

	beforeAll(async () => {
		({ store, done } = await variant.open());
	}, 40_000);

	afterAll(async () => {
		await done?.();
	});

	async function fresh(): Promise<Database> {
		const name = freshName();
		await store.ensureDatabase(name);
		return store.database(name);
	}

	describe('databases', () => {
		it('answers 404 for a database never created, and does not create it by asking', async () => {
			const name = freshName();
			const db = store.database(name);
			expect(await failure(db.info())).toMatchObject({ status: 404, error: 'not_found' });
			expect(await failure(db.get('x'))).toMatchObject({ status: 404, error: 'not_found' });
			expect(await failure(db.put({ _id: 'x' }))).toMatchObject({ status: 404, error: 'not_found' });
			expect(await failure(db.changes({}))).toMatchObject({ status: 404 });
			expect(await failure(db.bulkDocs({ docs: [{ _id: 'x' }] }))).toMatchObject({ status: 404 });
			expect(await failure(db.info())).toMatchObject({ status: 404, error: 'not_found' });
		});

		it('creates a database once; creating it again changes nothing', async () => {
			const name = freshName();
			await store.ensureDatabase(name);
			await store.database(name).put({ _id: 'kept' });
			await store.ensureDatabase(name);
			const info = await store.database(name).info();
			expect(info).toMatchObject({ db_name: name, doc_count: 1 });
			expect(info.update_seq).toBeDefined();
		});

		it('refuses names that are not CouchDB names, before anything is touched', async () => {
			for (const name of ['../etc', 'Upper', '9starts-with-digit', 'a..b', `a${'x'.repeat(200)}`, '', 'sp ace', 'a\u0000b']) {
				expect(await failure(store.ensureDatabase(name)), name).toMatchObject({ status: 400, error: 'illegal_database_name' });
				expect(await failure(store.database(name).info()), name).toMatchObject({ status: 400, error: 'illegal_database_name' });
			}
		});

		it('can store now', async () => {
			expect(await store.problem()).toBeUndefined();
		});
	});

	describe('documents', () => {
		it('puts, reads, updates and removes a document, with conflicts for a stale revision', async () => {
			const db = await fresh();
			const first = await db.put({ _id: 'doc', value: 1 });
			expect(first).toMatchObject({ ok: true, id: 'doc' });
			expect(first.rev).toMatch(/^1-/);
			expect(await db.get('doc')).toEqual({ _id: 'doc', _rev: first.rev, value: 1 });

			expect(await failure(db.put({ _id: 'doc', value: 2 }))).toMatchObject({ status: 409, error: 'conflict' });
			const second = await db.put({ _id: 'doc', _rev: first.rev, value: 2 });
			expect(second.rev).toMatch(/^2-/);
			expect(await failure(db.put({ _id: 'doc', _rev: first.rev, value: 3 }))).toMatchObject({ status: 409, error: 'conflict' });

			expect(await db.get('doc', { rev: first.rev })).toMatchObject({ value: 1 });
			const withRevs = (await db.get('doc', { revs: 'true' })) as JsonObject;
			expect(withRevs._revisions).toEqual({ start: 2, ids: [second.rev.slice(2), first.rev.slice(2)] });

			const removed = await db.remove('doc', second.rev);
			expect(removed).toMatchObject({ ok: true, id: 'doc' });
			expect(removed.rev).toMatch(/^3-/);
			expect(await failure(db.get('doc'))).toMatchObject({ status: 404, error: 'not_found' });
			expect(await failure(db.remove('doc', second.rev))).toMatchObject({ status: 409, error: 'conflict' });
			expect(await failure(db.get('never'))).toMatchObject({ status: 404, error: 'not_found' });
		});

		it('keeps _local documents (checkpoints) out of changes and _all_docs', async () => {
			const db = await fresh();
			const id = '_local/checkpoint-abc';
			const first = await db.put({ _id: id, last_seq: 1 });
			expect(first).toMatchObject({ ok: true, id });
			expect(await db.get(id)).toMatchObject({ _id: id, _rev: first.rev, last_seq: 1 });
			expect(await failure(db.put({ _id: id, last_seq: 2 }))).toMatchObject({ status: 409, error: 'conflict' });
			const second = await db.put({ _id: id, _rev: first.rev, last_seq: 2 });
			expect(await db.get(id)).toMatchObject({ last_seq: 2 });

			expect(results(await db.changes({}))).toEqual([]);
			expect((await db.allDocs()).rows).toEqual([]);
			expect(await db.info()).toMatchObject({ doc_count: 0 });

			await db.remove(id, second.rev);
			expect(await failure(db.get(id))).toMatchObject({ status: 404, error: 'not_found' });
		});

		it('reads open revisions (all, listed, latest) as JSON', async () => {
			const db = await fresh();
			expect(await db.bulkDocs({ docs: [replicated('doc', ['a1', 'b2'], { side: 'b' }), replicated('doc', ['a1', 'c2', 'c3'], { side: 'c' })], new_edits: false })).toEqual([]);

			const all = (await db.get('doc', { open_revs: 'all', revs: 'true' })) as Array<{ ok: JsonObject }>;
			expect(all.map((entry) => entry.ok._rev).sort()).toEqual(['2-b2', '3-c3']);
			expect(all.find((entry) => entry.ok._rev === '3-c3')?.ok._revisions).toEqual({ start: 3, ids: ['c3', 'c2', 'a1'] });

			const listed = (await db.get('doc', { open_revs: JSON.stringify(['2-b2', '9-missing']) })) as JsonObject[];
			expect(listed).toContainEqual({ ok: { _id: 'doc', _rev: '2-b2', side: 'b' } });
			expect(listed).toContainEqual({ missing: '9-missing' });

			const latest = (await db.get('doc', { open_revs: JSON.stringify(['2-c2']), latest: 'true' })) as Array<{ ok: JsonObject }>;
			expect(latest.map((entry) => entry.ok._rev)).toEqual(['3-c3']);

			const winner = (await db.get('doc', { conflicts: 'true' })) as JsonObject;
			expect(winner).toMatchObject({ _rev: '3-c3', _conflicts: ['2-b2'] });

		});
	});

	describe('changes', () => {
		it('lists changes since a sequence given as text, with limit, docs, styles and doc ids', async () => {
			const db = await fresh();
			await db.put({ _id: 'a', n: 1 });
			await db.put({ _id: 'b', n: 2 });
			const all = await db.changes({ since: '0' });
			expect(results(all).map((change) => change.id)).toEqual(['a', 'b']);

			const first = await db.changes({ limit: '1' });
			expect(results(first).map((change) => change.id)).toEqual(['a']);
			// `since` arrives as text over HTTP; it must count from there, not start again.
			const rest = await db.changes({ since: String(first.last_seq) });
			expect(results(rest).map((change) => change.id)).toEqual(['b']);
			expect(results(await db.changes({ since: String(all.last_seq) }))).toEqual([]);

			const withDocs = await db.changes({ include_docs: 'true' });
			expect(results(withDocs)[0]?.doc).toMatchObject({ _id: 'a', n: 1 });

			const filtered = await db.changes({ filter: '_doc_ids' }, { doc_ids: ['b'] });
			expect(results(filtered).map((change) => change.id)).toEqual(['b']);

			await db.bulkDocs({ docs: [replicated('c', ['x1']), replicated('c', ['y1'])], new_edits: false });
			const c = (changes: JsonObject) => results(changes).find((change) => change.id === 'c');
			expect(c(await db.changes({ style: 'all_docs' }))?.changes.map((change) => change.rev).sort()).toEqual(['1-x1', '1-y1']);
			expect(c(await db.changes({}))?.changes).toHaveLength(1);
		});

		it('reports deletions', async () => {
			const db = await fresh();
			const put = await db.put({ _id: 'gone' });
			await db.remove('gone', put.rev);
			expect(results(await db.changes({}))).toEqual([expect.objectContaining({ id: 'gone', deleted: true })]);
		});

		it('a long-poll waits for the next write and answers with it', async () => {
			const db = await fresh();
			await db.put({ _id: 'before' });
			const now = await db.changes({});
			const polled = db.changes({ feed: 'longpoll', since: String(now.last_seq), timeout: '20000' });
			// Nothing is there yet; the write comes after the poll has started waiting.
			await new Promise((resolve) => setTimeout(resolve, 100));
			await db.put({ _id: 'after' });
			expect(results(await polled).map((change) => change.id)).toEqual(['after']);
		});

		it('a long-poll with changes already there answers at once', async () => {
			const db = await fresh();
			await db.put({ _id: 'there' });
			expect(results(await db.changes({ feed: 'longpoll', since: '0', timeout: '20000' })).map((change) => change.id)).toEqual(['there']);
		});

		it('a long-poll with nothing new answers with no results after its timeout', async () => {
			const db = await fresh();
			await db.put({ _id: 'old' });
			const now = await db.changes({});
			const polled = await db.changes({ feed: 'longpoll', since: String(now.last_seq), timeout: '200', heartbeat: '10000' });
			expect(results(polled)).toEqual([]);
			expect(polled.last_seq).toBeDefined();
		});

		it('a long-poll ends when its caller goes away', async () => {
			const db = await fresh();
			const controller = new AbortController();
			const polled = db.changes({ feed: 'longpoll', since: 'now', timeout: '60000' }, undefined, controller.signal);
			setTimeout(() => controller.abort(), 100);
			expect(results(await polled)).toEqual([]);
		});
	});

	describe('replication operations', () => {
		it('_revs_diff names the revisions it lacks', async () => {
			const db = await fresh();
			const put = await db.put({ _id: 'known' });
			const diff = await db.revsDiff({ known: [put.rev, '2-abc'], unknown: ['1-def'] });
			expect(diff).toEqual({ known: { missing: ['2-abc'] }, unknown: { missing: ['1-def'] } });
		});

		it('_bulk_docs with new_edits:false keeps the given revisions and history, and is idempotent', async () => {
			const db = await fresh();
			const doc = replicated('event:x', ['aaa', 'bbb'], { value: 1 });
			expect(await db.bulkDocs({ docs: [doc], new_edits: false })).toEqual([]);
			expect(await db.bulkDocs({ docs: [doc], new_edits: false })).toEqual([]);
			expect(await db.get('event:x', { revs: 'true' })).toEqual({ _id: 'event:x', _rev: '2-bbb', _revisions: { start: 2, ids: ['bbb', 'aaa'] }, value: 1 });
			expect(await db.info()).toMatchObject({ doc_count: 1 });
			expect(results(await db.changes({}))).toHaveLength(1);
		});

		it('_bulk_docs with new edits answers one result per document, conflicts included', async () => {
			const db = await fresh();
			const put = await db.put({ _id: 'taken' });
			const answer = (await db.bulkDocs({ docs: [{ _id: 'new' }, { _id: 'taken' }] })) as JsonObject[];
			expect(answer).toHaveLength(2);
			expect(answer[0]).toMatchObject({ ok: true, id: 'new', rev: expect.stringMatching(/^1-/) });
			expect(answer[1]).toMatchObject({ id: 'taken', error: 'conflict' });
			expect(typeof answer[1]?.reason).toBe('string');
			expect(await db.get('taken')).toEqual({ _id: 'taken', _rev: put.rev });
		});

		it('_bulk_get answers each asked revision, with history when revs=true', async () => {
			const db = await fresh();
			await db.bulkDocs({ docs: [replicated('one', ['r1', 'r2'], { n: 1 })], new_edits: false });
			const put = await db.put({ _id: 'two', n: 2 });
			const answer = await db.bulkGet({ docs: [{ id: 'one', rev: '2-r2' }, { id: 'two', rev: put.rev }] }, { revs: 'true' });
			expect(answer).toEqual({
				results: [
					{ id: 'one', docs: [{ ok: { _id: 'one', _rev: '2-r2', _revisions: { start: 2, ids: ['r2', 'r1'] }, n: 1 } }] },
					{ id: 'two', docs: [{ ok: { _id: 'two', _rev: put.rev, _revisions: { start: 1, ids: [put.rev.slice(2)] }, n: 2 } }] }
				]
			});
		});

		it('_bulk_get says which revisions are missing', async () => {
			const db = await fresh();
			const answer = (await db.bulkGet({ docs: [{ id: 'nothing', rev: '1-abc' }] })) as { results: Array<{ id: string; docs: Array<{ error?: JsonObject }> }> };
			expect(answer.results[0]?.id).toBe('nothing');
			expect(answer.results[0]?.docs[0]?.error).toMatchObject({ id: 'nothing', rev: '1-abc', error: 'not_found' });
		});

		it('_all_docs reads by keys, by range, with docs, limit and order', async () => {
			const db = await fresh();
			for (const id of ['event:a:1', 'event:a:2', 'event:b:1', 'profile']) await db.put({ _id: id, id });
			const ids = (answer: JsonObject) => (answer.rows as Array<{ id: string }>).map((row) => row.id);

			expect(ids(await db.allDocs())).toEqual(['event:a:1', 'event:a:2', 'event:b:1', 'profile']);
			expect(ids(await db.allDocs({ startkey: JSON.stringify('event:a:'), endkey: JSON.stringify('event:a:\ufff0') }))).toEqual(['event:a:1', 'event:a:2']);
			expect(ids(await db.allDocs({ limit: '1', descending: 'true' }))).toEqual(['profile']);

			const byKeys = await db.allDocs({ include_docs: 'true' }, { keys: ['profile', 'absent'] });
			expect(byKeys.rows).toEqual([
				expect.objectContaining({ id: 'profile', key: 'profile', doc: expect.objectContaining({ _id: 'profile', id: 'profile' }) }),
				expect.objectContaining({ key: 'absent', error: 'not_found' })
			]);
			expect(byKeys.total_rows).toBe(4);
		});
	});
});

describe('the embedded store alone', () => {
	it('keeps at most maxOpen databases open, never closes one in use, and keeps their data', async () => {
		const root = await tempDir();
		const store = await EmbeddedStore.open({ root, maxOpen: 2 });
		try {
			const names = Array.from({ length: 6 }, (_, i) => `learner-${i}`);
			for (const name of names) {
				await store.ensureDatabase(name);
				await store.database(name).put({ _id: 'profile', name });
				expect(store.openDatabases).toBeLessThanOrEqual(2);
			}
			// Many at once: each in use stays open, however many that takes; afterwards the cap holds again.
			const infos = await Promise.all(names.map((name) => store.database(name).info()));
			expect(infos.map((info) => info.doc_count)).toEqual(names.map(() => 1));
			expect(store.openDatabases).toBeLessThanOrEqual(2);
			for (const name of names) expect(await store.database(name).get('profile')).toMatchObject({ name });
		} finally {
			await store.close();
			await rm(root, { recursive: true, force: true });
		}
	});

	it('does not hold a database open while a long-poll waits', async () => {
		const root = await tempDir();
		const store = await EmbeddedStore.open({ root, PouchDB: MemoryPouch, adapter: 'memory', maxOpen: 1 });
		try {
			await store.ensureDatabase('learner-a');
			await store.ensureDatabase('learner-b');
			const a = store.database('learner-a');
			const polled = a.changes({ feed: 'longpoll', since: 'now', timeout: '20000' });
			while (store.waitingLongpolls === 0) await new Promise((resolve) => setTimeout(resolve, 10));
			await store.database('learner-b').put({ _id: 'b' });
			expect(store.openDatabases).toBe(1);
			await a.put({ _id: 'a' });
			expect(results(await polled).map((change) => change.id)).toEqual(['a']);
			expect(store.waitingLongpolls).toBe(0);
		} finally {
			await store.close();
			await rm(root, { recursive: true, force: true });
		}
	});

	it('answers waiting long-polls when it closes, so a shutdown does not wait for them', async () => {
		const root = await tempDir();
		const store = await EmbeddedStore.open({ root, PouchDB: MemoryPouch, adapter: 'memory' });
		await store.ensureDatabase('learner-a');
		const polled = store.database('learner-a').changes({ feed: 'longpoll', since: 'now', timeout: '600000' });
		while (store.waitingLongpolls === 0) await new Promise((resolve) => setTimeout(resolve, 10));
		await store.close();
		expect(results(await polled)).toEqual([]);
		await rm(root, { recursive: true, force: true });
	});

	it('finds the databases on disk after a restart, and creates no folder for a missing one', async () => {
		const root = await tempDir();
		const first = await EmbeddedStore.open({ root });
		await first.ensureDatabase('learner-kept');
		await first.database('learner-kept').put({ _id: 'profile' });
		await first.close();

		const second = await EmbeddedStore.open({ root });
		try {
			expect(await second.database('learner-kept').info()).toMatchObject({ doc_count: 1 });
			await failure(second.database('learner-missing').info());
			await failure(second.database('learner-missing').put({ _id: 'x' }));
			expect(await readdir(root)).toEqual(['learner-kept']);
			// A name with a slash stays inside the root, in one folder.
			await second.ensureDatabase('team/learner');
			expect(existsSync(join(root, 'team%2Flearner'))).toBe(true);
		} finally {
			await second.close();
			await rm(root, { recursive: true, force: true });
		}
	});

	it('answers 400 for a query it cannot read, before PouchDB sees it', async () => {
		const root = await tempDir();
		const store = await EmbeddedStore.open({ root, PouchDB: MemoryPouch, adapter: 'memory' });
		try {
			await store.ensureDatabase('learner-q');
			const db = store.database('learner-q');
			for (const bad of [
				db.get('doc', { open_revs: 'not json' }),
				db.get('doc', { open_revs: '{"a":1}' }),
				db.get('doc', { revs: 'yes' }),
				db.changes({ since: 'yesterday' }),
				db.changes({ limit: '-1' }),
				db.changes({ style: 'newest' }),
				db.changes({ filter: 'design/filter' }),
				db.changes({ filter: '_doc_ids' }),
				db.allDocs({ startkey: 'unquoted' }),
				db.allDocs({}, { keys: 'profile' }),
				db.bulkDocs({ docs: 'none' }),
				db.bulkGet({ docs: {} })
			]) {
				expect(await failure(bad)).toMatchObject({ status: 400, error: 'bad_request' });
			}
			// A CouchDB sequence counts from its number.
			await db.put({ _id: 'a' });
			await db.put({ _id: 'b' });
			expect(results(await db.changes({ since: '1-g1AAAAabc' })).map((change) => change.id)).toEqual(['b']);
		} finally {
			await store.close();
			await rm(root, { recursive: true, force: true });
		}
	});

	it('says so when its folder can no longer be written', async () => {
		const root = await tempDir();
		const store = await EmbeddedStore.open({ root });
		await rm(root, { recursive: true, force: true });
		expect(await store.problem()).toBe('learner data directory is not writable');
		await store.close();
	});
});
