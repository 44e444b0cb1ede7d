import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import PouchDB from './pouch';
import { forgetLearner, progressOf, recorderFor, saveProfileChanges, writeProfile } from './learner-progress';
import { loadPouch } from './learner-db';
import { parseProfile, PROFILE_ID } from '$lib/progress-model/profile';
import { courseProgress } from '$lib/progress-model/derive';

// PouchDB checks the browser's user agent when it opens IndexedDB.
globalThis.navigator ??= { userAgent: 'node' } as Navigator;

let n = 0;
const freshDb = () => new PouchDB(`test-learner-${n++}`, { adapter: 'indexeddb' });
const course = { id: 'sample-course', version: 1, passMark: 70, modules: [{ id: 'm', lessons: [{ id: 'read', kind: 'text' as const }, { id: 'quiz', kind: 'quiz' as const }] }] };
const at = (lessonId: string) => ({ courseId: course.id, courseVersion: 1, lessonId });

describe('recording a learner’s progress on the phone', () => {
	it('stores each event as its own document and reads a course’s events back in order', async () => {
		const db = freshDb();
		const recorder = recorderFor('asha', db);
		await recorder.record({ ...at('read'), type: 'lesson-opened' });
		await recorder.record({ ...at('read'), type: 'lesson-completed', how: 'read-to-end' });
		await recorder.record({ courseId: 'other-course', courseVersion: 1, lessonId: 'x', type: 'lesson-opened' });
		const events = await recorder.courseEvents(course.id);
		expect(events.map((e) => e.type)).toEqual(['lesson-opened', 'lesson-completed']);
		expect(events.every((e) => e.learnerId === 'asha')).toBe(true);
		expect(courseProgress(course, events).lessons.read).toMatchObject({ opened: true, done: true });
		expect((await db.info()).doc_count).toBe(3);
	});

	it('refuses an event the server would refuse, storing nothing', async () => {
		const db = freshDb();
		const recorder = recorderFor('asha', db);
		await expect(recorder.record({ ...at('read'), type: 'time-spent', seconds: 99_999 })).rejects.toThrow(/seconds/);
		expect((await db.info()).doc_count).toBe(0);
	});

	it('skips a stored document it cannot read (from a newer Sikho) instead of failing the course', async () => {
		const db = freshDb();
		const recorder = recorderFor('asha', db);
		await recorder.record({ ...at('read'), type: 'lesson-opened' });
		await db.put({ _id: `event:${course.id}:01ZZZZZZZZZZZZZZZZZZZZZZZZ`, format: 2, type: 'lesson-rated' } as object as { _id: string });
		expect((await recorder.courseEvents(course.id)).map((e) => e.type)).toEqual(['lesson-opened']);
	});

	it('changes a profile field by field with new clocks, and forgets a learner’s whole database', async () => {
		await loadPouch(async () => ({ default: PouchDB }));
		const learner = { id: `learner-${n++}`, name: 'Asha', district: 'Sitapur', language: 'hi', createdAt: '2026-11-20T10:00:00.000Z', lastUsedAt: '2026-11-20T10:00:00.000Z' };
		await writeProfile(learner);
		await saveProfileChanges(learner.id, { name: 'Asha Devi', district: 'Sitapur', language: 'hi' }, () => new Date('2026-11-22T10:00:00.000Z'));
		const recorder = await progressOf(learner.id);
		await recorder.record({ ...at('read'), type: 'lesson-opened' });

		const db = new PouchDB(`sikho-learner-${learner.id}`, { adapter: 'indexeddb' });
		const profile = parseProfile(await db.get(PROFILE_ID));
		expect(profile.ok && profile.value).toMatchObject({
			name: 'Asha Devi',
			updatedAt: { name: '2026-11-22T10:00:00.000Z', district: '2026-11-20T10:00:00.000Z' }
		});

		await forgetLearner(learner.id);
		expect((await new PouchDB(`sikho-learner-${learner.id}`, { adapter: 'indexeddb' }).info()).doc_count).toBe(0);
	});
});

