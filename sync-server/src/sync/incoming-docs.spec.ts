import { describe, expect, it } from 'vitest';
import { scribe } from '../../../src/lib/progress-model/test-support/history.js';
import { newProfile } from '../../../src/lib/progress-model/profile.js';
import { MAX_DOCUMENT_BYTES, sortIncomingDocuments } from './incoming-docs.js';

const learner = { learnerId: '2f0c7a4e-6b1d-4c8e-9a3f-5d7e1b2c4a6f', db: 'learner-2f0c7a4e-6b1d-4c8e-9a3f-5d7e1b2c4a6f' };
const write = () => scribe({ learnerId: learner.learnerId });
const profile = () => newProfile({ name: 'Asha Verma', district: 'Pune', language: 'hi' }, () => new Date('2025-03-01T08:00:00.000Z'));
/** As PouchDB's replicator sends a document: with `_rev` and its history. */
const replicated = <T extends object>(doc: T, revs = ['a1b2c3']) => ({ ...doc, _rev: `${revs.length}-${revs[0]}`, _revisions: { start: revs.length, ids: revs } });

const reasonFor = (doc: unknown) => {
	const sorted = sortIncomingDocuments([doc], learner);
	expect(sorted.accepted).toEqual([]);
	expect(sorted.refused).toHaveLength(1);
	expect(sorted.refused[0]).toMatchObject({ error: 'forbidden', name: 'forbidden' });
	return sorted.refused[0]!.reason;
};

describe('sortIncomingDocuments', () => {
	it("stores the learner's events and profile as replication sends them, history included", () => {
		const event = replicated(write().opened('l1'));
		const doc = replicated(profile());
		const sorted = sortIncomingDocuments([event, doc], learner);
		expect(sorted.refused).toEqual([]);
		expect(sorted.toStore).toEqual([event, doc]);
		// What the after-store hook sees: checked, without the history.
		expect(sorted.accepted.map((accepted) => accepted._id)).toEqual([event._id, 'profile']);
		expect(sorted.accepted[0]).not.toHaveProperty('_revisions');
	});

	it('judges each document alone and keeps its id and rev in the refusal', () => {
		const good = write().opened('l1');
		const bad = replicated({ ...write().spent('l1', 10), seconds: -1 });
		const sorted = sortIncomingDocuments([good, bad], learner);
		expect(sorted.accepted.map((doc) => doc._id)).toEqual([good._id]);
		expect(sorted.refused).toEqual([{ id: bad._id, rev: bad._rev, error: 'forbidden', name: 'forbidden', reason: expect.stringContaining('seconds') }]);
	});

	it("refuses another learner's events", () => {
		expect(reasonFor(scribe({ learnerId: 'someone-else' }).opened('l1'))).toMatch(/learnerId/);
	});

	it('refuses the deletion of an event: events are append-only', () => {
		expect(reasonFor({ ...replicated(write().opened('l1'), ['b2', 'a1']), _deleted: true })).toMatch(/never deleted/);
		expect(reasonFor({ _id: write().opened('l1')._id, _rev: '2-b2', _deleted: true })).toMatch(/never deleted/);
	});

	it('takes a removed profile revision, bare or with its old body, as the app leaves it after a merge', () => {
		const bare = { _id: 'profile', _rev: '2-b2', _deleted: true, _revisions: { start: 2, ids: ['b2', 'a1'] } };
		const withBody = { ...replicated(profile(), ['b2', 'a1']), _deleted: true };
		const sorted = sortIncomingDocuments([bare, withBody], learner);
		expect(sorted.refused).toEqual([]);
		expect(sorted.accepted).toEqual([
			{ _id: 'profile', _rev: '2-b2', _deleted: true },
			{ _id: 'profile', _rev: '2-b2', _deleted: true }
		]);
		expect(reasonFor({ _id: 'profile', _rev: '2-b2', _deleted: true, name: 42 })).toMatch(/deleted profile/);
	});

	it('refuses certificates, design documents, unknown ids, attachments and things that are not documents', () => {
		expect(reasonFor({ _id: 'certificate:course', type: 'certificate' })).toMatch(/server only/);
		expect(reasonFor({ _id: '_design/app', views: {} })).toMatch(/only the profile and progress events/);
		expect(reasonFor({ _id: 'notes', text: 'hi' })).toMatch(/only the profile and progress events/);
		expect(reasonFor({ ...profile(), _attachments: { 'a.txt': { data: 'aGk=' } } })).toMatch(/attachments/);
		expect(reasonFor({ name: 'no id' })).toMatch(/_id/);
		expect(sortIncomingDocuments(['text', null, [1]], learner).refused.map((refusal) => refusal.reason)).toEqual(Array(3).fill('a document is a JSON object'));
	});

	it('refuses a document over 64 KB and a history that is not one', () => {
		expect(reasonFor({ ...profile(), name: 'x'.repeat(MAX_DOCUMENT_BYTES) })).toMatch(/at most 65536 bytes/);
		const event = write().opened('l1');
		expect(reasonFor({ ...event, _rev: '2-b2', _revisions: { start: 2, ids: ['c3', 'a1'] } })).toMatch(/newest revision/);
		expect(reasonFor({ ...event, _rev: '1-a1', _revisions: { start: 1, ids: ['a1'], extra: true } })).toMatch(/_revisions/);
		expect(reasonFor({ ...event, _rev: '1-a1', _revisions: { start: 1, ids: ['a/1'] } })).toMatch(/_revisions/);
		expect(reasonFor({ ...event, _rev: '1001-a', _revisions: { start: 1001, ids: Array(1001).fill('a') } })).toMatch(/_revisions/);
	});

	it('refuses unknown fields, as the progress format is strict', () => {
		expect(reasonFor({ ...write().opened('l1'), _conflicts: ['1-x'] })).toMatch(/_conflicts|Unrecognized|unrecognized/);
		expect(reasonFor({ ...profile(), admin: true })).toMatch(/admin|nrecognized/);
	});
});
