/**
 * After a pull, the profile may have conflicting revisions (edited on two phones between syncs).
 * They are merged by the rule in docs/progress-model.md (`mergeProfileRevisions`): the merged
 * profile replaces the winner and the losing revisions are deleted, in one `bulkDocs`, so every
 * replica that syncs afterwards converges to the same profile.
 */
import type PouchDB from 'pouchdb-core';
import type { PouchError } from 'pouchdb-core';
import { mergeProfileRevisions, parseProfile, PROFILE_ID, type Profile } from '../progress-model/profile.js';

export type ProfileDb = Pick<PouchDB<object>, 'get' | 'bulkDocs'>;

/**
 * The learner's profile with its conflicts resolved; undefined when the database has none (or only
 * one this version cannot read). A losing revision that does not parse is deleted without being
 * merged: it could only have come from a newer Sikho, and its fields cannot be trusted here.
 */
export async function resolveProfileConflicts(db: ProfileDb): Promise<Profile | undefined> {
	let stored;
	try {
		stored = await db.get(PROFILE_ID, { conflicts: true });
	} catch (error) {
		if ((error as PouchError).status === 404) return undefined;
		throw error;
	}
	const { _conflicts: conflicts = [], ...document } = stored;
	const winning = parseProfile(document);
	if (!winning.ok) return undefined;
	if (conflicts.length === 0) return winning.value;

	const losing: Profile[] = [];
	for (const rev of conflicts) {
		const parsed = parseProfile(await db.get(PROFILE_ID, { rev }));
		if (parsed.ok) losing.push(parsed.value);
	}
	const merged = mergeProfileRevisions(winning.value, losing);
	const results = await db.bulkDocs([merged, ...conflicts.map((rev) => ({ _id: PROFILE_ID, _rev: rev, _deleted: true }))]);
	// A conflict on the put means the profile changed meanwhile (the learner edited it): the next sync merges again.
	const failed = results.find((result) => 'error' in result && result.error && (result as PouchError).status !== 409);
	if (failed) throw new Error(`could not store the merged profile: ${JSON.stringify(failed)}`);
	return merged;
}
