/**
 * Which documents a phone may write into its learner's database through `_bulk_docs`, each judged
 * alone: a refused document is answered with `{id, rev, error: "forbidden", name: "forbidden",
 * reason}` and the rest of the batch is stored. PouchDB's replicator reads `name`: "forbidden"
 * makes it emit `denied` and go on with the next document, while any other failure stops the
 * replication — so without `name`, one bad document would stop a phone's sync for ever.
 *
 * A learner's database holds their profile and their progress events (docs/progress-model.md),
 * checked with the same schemas the app writes them with. Certificates are the server's to write.
 */
import { parseEvent, type ProgressEvent } from '../../../src/lib/progress-model/events.js';
import { parseProfile, PROFILE_ID, type Profile } from '../../../src/lib/progress-model/profile.js';
import type { JsonObject } from '../store/store.js';

/** Largest document, as JSON text without its replication history: far above any event or profile. */
export const MAX_DOCUMENT_BYTES = 64 * 1024;
/** PouchDB's and CouchDB's default `revs_limit`: no honest history is longer. */
const MAX_HISTORY = 1000;
const REV_HASH = /^[0-9a-zA-Z]{1,64}$/;

/** Who is writing: from the access token, never from the documents. */
export interface Learner {
	learnerId: string;
	db: string;
}

/** A profile tombstone: a losing revision removed when the app merges conflicting profiles. */
export interface ProfileTombstone {
	_id: typeof PROFILE_ID;
	_rev?: string;
	_deleted: true;
}

/** A document as checked and stored (without its `_revisions` history). */
export type AcceptedDocument = ProgressEvent | Profile | ProfileTombstone;

export interface Refusal {
	id: string | undefined;
	rev: string | undefined;
	error: 'forbidden';
	name: 'forbidden';
	reason: string;
}

export interface SortedDocuments {
	/** What goes to the store: the document as sent, history included (needed with `new_edits: false`). */
	toStore: JsonObject[];
	/** The same documents, checked, in the same order. */
	accepted: AcceptedDocument[];
	refused: Refusal[];
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What is wrong with a document's `_revisions` (the history replication sends), or undefined. */
function historyProblem(doc: JsonObject): string | undefined {
	const revisions = doc._revisions;
	if (revisions === undefined) return undefined;
	if (!isObject(revisions) || Object.keys(revisions).some((key) => key !== 'start' && key !== 'ids')) return '_revisions is {start, ids}';
	const { start, ids } = revisions;
	if (typeof start !== 'number' || !Number.isInteger(start) || start < 1) return '_revisions.start is a positive whole number';
	if (!Array.isArray(ids) || ids.length < 1 || ids.length > MAX_HISTORY || ids.length > start) return `_revisions.ids lists 1 to ${MAX_HISTORY} revisions`;
	if (!ids.every((id) => typeof id === 'string' && REV_HASH.test(id))) return '_revisions.ids are revision hashes';
	if (doc._rev !== undefined && doc._rev !== `${start}-${String(ids[0])}`) return '_rev is not the newest revision of _revisions';
	return undefined;
}

function utf8Bytes(value: unknown): number {
	return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

type Verdict = { ok: true; value: AcceptedDocument } | { ok: false; reason: string };

const refused = (reason: string): Verdict => ({ ok: false, reason });

/** Parsed problems as one reason, short enough for a log line and a phone's console. */
const reasonOf = (problems: string[]) => problems.slice(0, 3).join('; ') + (problems.length > 3 ? ` (and ${problems.length - 3} more)` : '');

function judge(doc: JsonObject, learner: Learner): Verdict {
	const id = doc._id;
	if (typeof id !== 'string') return refused('a document needs an _id');
	if ('_attachments' in doc) return refused('attachments are not accepted');
	const history = historyProblem(doc);
	if (history) return refused(history);

	// Checked as stored: without the history replication adds, and `_deleted: false` means nothing.
	const { _revisions: _history, ...stored } = doc;
	if (stored._deleted === false) delete stored._deleted;
	if (utf8Bytes(stored) > MAX_DOCUMENT_BYTES) return refused(`a document is at most ${MAX_DOCUMENT_BYTES} bytes`);

	if (id === PROFILE_ID) {
		if (stored._deleted === true) {
			const { _deleted: _flag, ...rest } = stored;
			// A merged-away revision: a bare tombstone, or the old profile marked deleted.
			const body = Object.keys(rest).filter((key) => key !== '_id' && key !== '_rev');
			if (body.length > 0 && !parseProfile(rest).ok) return refused('a deleted profile revision carries a profile or nothing');
			if (stored._rev !== undefined && typeof stored._rev !== 'string') return refused('_rev is a revision');
			return { ok: true, value: { _id: PROFILE_ID, ...(typeof stored._rev === 'string' ? { _rev: stored._rev } : {}), _deleted: true } };
		}
		const parsed = parseProfile(stored);
		return parsed.ok ? { ok: true, value: parsed.value } : refused(reasonOf(parsed.problems));
	}

	if (id.startsWith('event:')) {
		// Events are append-only: never edited, so never in conflict, so never deleted. A tombstone
		// would erase progress (and the certificate it earned) from every phone of the learner.
		if (stored._deleted === true) return refused('progress events are never deleted');
		const parsed = parseEvent(stored);
		if (!parsed.ok) return refused(reasonOf(parsed.problems));
		if (parsed.value.learnerId !== learner.learnerId) return refused("an event's learnerId is the signed-in learner's");
		return { ok: true, value: parsed.value };
	}

	if (id.startsWith('certificate:')) return refused('certificates are written by the server only');
	return refused('only the profile and progress events are stored here');
}

/** Sorts a `_bulk_docs` batch into what to store and what to refuse, each document on its own. */
export function sortIncomingDocuments(docs: unknown[], learner: Learner): SortedDocuments {
	const sorted: SortedDocuments = { toStore: [], accepted: [], refused: [] };
	for (const doc of docs) {
		if (!isObject(doc)) {
			sorted.refused.push({ id: undefined, rev: undefined, error: 'forbidden', name: 'forbidden', reason: 'a document is a JSON object' });
			continue;
		}
		const verdict = judge(doc, learner);
		if (verdict.ok) {
			sorted.toStore.push(doc);
			sorted.accepted.push(verdict.value);
		} else {
			const id = typeof doc._id === 'string' ? doc._id : undefined;
			const rev = typeof doc._rev === 'string' ? doc._rev : undefined;
			sorted.refused.push({ id, rev, error: 'forbidden', name: 'forbidden', reason: verdict.reason });
		}
	}
	return sorted;
}
