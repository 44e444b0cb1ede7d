import { describe, expect, it } from 'vitest';
import { StoreError } from '../src/store/store.js';
import { MemoryStore } from './memory-store.js';

// The fake must answer as CouchDB does, or the accounts tests prove nothing about the real stores.
describe('MemoryStore, the accounts tests’ stand-in', () => {
	const failure = (promise: Promise<unknown>) => promise.then(
		() => undefined,
		(error: unknown) => (error instanceof StoreError ? [error.status, error.error] : error)
	);

	it('answers 404 not_found for a missing database or document', async () => {
		const store = new MemoryStore();
		expect(await failure(store.database('nowhere').get('x'))).toEqual([404, 'not_found']);
		expect(await failure(store.database('nowhere').put({ _id: 'x' }))).toEqual([404, 'not_found']);
		await store.ensureDatabase('db');
		await store.ensureDatabase('db');
		expect(await failure(store.database('db').get('x'))).toEqual([404, 'not_found']);
	});

	it('makes a new revision per put, and answers 409 conflict without the current one', async () => {
		const store = new MemoryStore();
		await store.ensureDatabase('db');
		const db = store.database('db');
		const first = await db.put({ _id: 'doc', n: 1 });
		expect(first.rev).toMatch(/^1-/);
		expect(await failure(db.put({ _id: 'doc', n: 2 }))).toEqual([409, 'conflict']);
		expect(await failure(db.put({ _id: 'new', _rev: first.rev }))).toEqual([409, 'conflict']);
		const second = await db.put({ _id: 'doc', _rev: first.rev, n: 2 });
		expect(second.rev).toMatch(/^2-/);
		expect(await failure(db.put({ _id: 'doc', _rev: first.rev, n: 3 }))).toEqual([409, 'conflict']);
		expect(await db.get('doc')).toEqual({ _id: 'doc', _rev: second.rev, n: 2 });
	});

	it('lets exactly one of simultaneous creations of a document win', async () => {
		const store = new MemoryStore();
		await store.ensureDatabase('db');
		const outcomes = await Promise.all([1, 2, 3].map((n) => failure(store.database('db').put({ _id: 'doc', n }))));
		expect(outcomes.filter((outcome) => outcome === undefined)).toHaveLength(1);
		expect(outcomes.filter((outcome) => JSON.stringify(outcome) === '[409,"conflict"]')).toHaveLength(2);
	});
});
