/**
 * What screens call to record and read a learner's progress. Every action is a new event document
 * in the learner's own PouchDB database, written at once (a killed tab loses nothing), never
 * edited (replication never conflicts, a replay never duplicates). State is derived from the
 * events by the pure progress model.
 */
import type { PouchError } from 'pouchdb-core';
import { courseEventRange, newEvent, parseEvent, type EventInput, type ProgressEvent } from '$lib/progress-model/events';
import { monotonicUlid } from '$lib/progress-model/ids';
import { newProfile, parseProfile, PROFILE_ID, updateProfile } from '$lib/progress-model/profile';
import { ProgressError } from '$lib/progress-model/events';
import type { LearnerOnPhone } from '$lib/profiles/device-profiles';
import type { LearnerChanges } from '$lib/profiles/learners.svelte';
import { destroyLearnerDb, learnerDb, type LearnerDb } from './learner-db';

export interface Recorder {
	learnerId: string;
	/** Stores one event; resolves when it is on the phone's disk. */
	record(input: EventInput): Promise<ProgressEvent>;
	/** Every stored event of one course, in id (= time) order; documents that do not parse are skipped. */
	courseEvents(courseId: string): Promise<ProgressEvent[]>;
}

export function recorderFor(learnerId: string, db: LearnerDb, now: () => Date = () => new Date()): Recorder {
	// One id generator per writer: events written in the same millisecond keep their order.
	const ulid = monotonicUlid();
	return {
		learnerId,
		async record(input) {
			const started = performance.now();
			const event = newEvent({ learnerId, now, ulid }, input);
			await db.put(event);
			// A User Timing entry per write: `npm run bench` reads them from the real app in Chromium.
			performance.measure('sikho:record-event', { start: started });
			return event;
		},
		async courseEvents(courseId) {
			const { rows } = await db.allDocs({ ...courseEventRange(courseId), include_docs: true });
			const events: ProgressEvent[] = [];
			for (const row of rows) {
				// A document from a newer Sikho (synced from another phone) is left alone, not fatal.
				const parsed = parseEvent(row.doc);
				if (parsed.ok) events.push(parsed.value);
			}
			return events;
		}
	};
}

const recorders = new Map<string, Promise<Recorder>>();

/** The recorder of one learner on this phone, opened once. */
export function progressOf(learnerId: string): Promise<Recorder> {
	let recorder = recorders.get(learnerId);
	if (!recorder) {
		recorder = learnerDb(learnerId).then((db) => recorderFor(learnerId, db));
		recorders.set(learnerId, recorder);
	}
	return recorder;
}

/** Writes a new learner's profile into their own database (the registry on the phone only points at it). */
export async function writeProfile(learner: LearnerOnPhone): Promise<void> {
	const db = await learnerDb(learner.id);
	await db.put(newProfile({ name: learner.name, district: learner.district, language: learner.language, pin: learner.pin }, () => new Date(learner.createdAt)));
}

/**
 * Changes the learner's profile document: each changed field gets a new clock (the merge rule in
 * docs/progress-model.md). Retried when another writer got there first (a sync landing mid-edit).
 */
export async function saveProfileChanges(learnerId: string, changes: LearnerChanges, now: () => Date = () => new Date()): Promise<void> {
	const db = await learnerDb(learnerId);
	for (let attempt = 1; ; attempt++) {
		const stored = parseProfile(await db.get(PROFILE_ID));
		if (!stored.ok) throw new ProgressError(stored.problems);
		try {
			await db.put(updateProfile(stored.value, changes, now));
			// The profile is the one document with revisions: keep only the current one on the phone.
			await db.compact();
			return;
		} catch (error) {
			if ((error as PouchError).status !== 409 || attempt >= 3) throw error;
		}
	}
}

/** Forgets a learner on this phone: their database goes. */
export async function forgetLearner(learnerId: string): Promise<void> {
	recorders.delete(learnerId);
	await destroyLearnerDb(learnerId);
}
