/**
 * Each learner's own PouchDB database on the phone: their profile and their progress events,
 * the only data that replicates to the server. PouchDB is loaded the first time a learner's
 * data is needed, so the first screen never waits for its code.
 */
import type PouchDB from 'pouchdb-core';

export type LearnerDb = PouchDB<object>;

/** The local database name: one per learner, so one learner's data is never read for another. */
export const learnerDbName = (learnerId: string) => `sikho-learner-${learnerId}`;

type PouchConstructor = new (name: string, options?: { adapter?: string; auto_compaction?: boolean }) => LearnerDb;

let pouch: Promise<PouchConstructor> | undefined;
const open = new Map<string, Promise<LearnerDb>>();

/** The constructor, loaded once; tests in Node pass it in after preparing IndexedDB. */
export function loadPouch(load: () => Promise<{ default: PouchConstructor }> = () => import('./pouch')): Promise<PouchConstructor> {
	pouch ??= load().then((module) => module.default);
	return pouch;
}

export function learnerDb(learnerId: string): Promise<LearnerDb> {
	let db = open.get(learnerId);
	if (!db) {
		// Events are never edited, so old revisions are only ever the profile's: compact them away.
		db = loadPouch().then((Pouch) => new Pouch(learnerDbName(learnerId), { adapter: 'indexeddb' }));
		open.set(learnerId, db);
	}
	return db;
}

/** Deletes a learner's database from the phone, and forgets the open handle. */
export async function destroyLearnerDb(learnerId: string): Promise<void> {
	const db = await learnerDb(learnerId);
	open.delete(learnerId);
	await db.destroy();
}
