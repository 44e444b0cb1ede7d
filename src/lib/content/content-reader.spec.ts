import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signedSample } from '$lib/course-format/test-support/sample-bundle';
import { openContentDb, type ContentDb } from './content-db';
import { ContentReader } from './content-reader';
import { downloadCourse } from './download-course';
import { LessonNotFound, openLesson } from './open-lesson';
import { fakeCourseServer } from './test-support/fake-course-server';

let name: string;
let db: ContentDb;
let reader: ContentReader;
let dbCount = 0;

/** The sample course stored the way the app stores it: downloaded, verified, written by Dexie. */
async function storeSample(language: string): Promise<void> {
	const sample = await signedSample();
	await db.publisherKeys.put({ publisher: 'test-publisher', publicKey: sample.keys.publicKey, source: 'server', addedAt: '2026-11-22T00:00:00.000Z' });
	await downloadCourse({ db, courseId: 'sample-course', language, fetch: fakeCourseServer(sample).fetch });
}

beforeEach(() => {
	name = `reader-test-${dbCount++}`;
	db = openContentDb(name);
	reader = new ContentReader(name);
});

afterEach(() => {
	reader.close();
	db.close();
});

describe('ContentReader', () => {
	it('reads a lesson Dexie stored: its text, its pictures and its neighbours', async () => {
		await storeSample('en');
		const lesson = await openLesson(reader, 'sample-course', 'intro', 'en');
		expect(lesson.language).toBe('en');
		expect(lesson.html).toContain('<h2>Hello</h2>');
		expect([...lesson.mediaUrls.keys()]).toEqual(['media/stages.png']);
		expect(lesson.previous).toBeUndefined();
		expect(lesson.next?.id).toBe('listen');
		lesson.release();
	});

	it('reads an audio lesson’s recording and transcript, in the language on the phone', async () => {
		await storeSample('hi');
		const lesson = await openLesson(reader, 'sample-course', 'listen', 'en');
		expect(lesson.language).toBe('hi');
		expect(lesson.html).toBe('<p>प्रतिलेख</p>');
		expect(lesson.audioUrl).toMatch(/^blob:/);
		lesson.release();
	});

	it('reports a course or lesson that is not on the phone', async () => {
		await storeSample('en');
		await expect(openLesson(reader, 'other-course', 'intro', 'en')).rejects.toBeInstanceOf(LessonNotFound);
		await expect(openLesson(reader, 'sample-course', 'no-such-lesson', 'en')).rejects.toBeInstanceOf(LessonNotFound);
	});

	it('with no database yet, finds nothing, creates nothing, and finds the course once it is stored', async () => {
		const fresh = new ContentReader(`${name}-fresh`);
		expect(await fresh.course('sample-course')).toBeUndefined();
		expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(`${name}-fresh`);

		await storeSample('en');
		expect((await reader.course('sample-course'))?.version).toBe(1);
		fresh.close();
	});

	it('lets Dexie upgrade the schema while it has the database open', async () => {
		await storeSample('en');
		expect(await reader.course('sample-course')).toBeDefined();
		db.close();

		const upgraded = new Dexie(name);
		upgraded.version(1).stores({ courses: '&id', files: '&sha256', downloads: '&key', publishers: '&id' });
		upgraded.version(2).stores({ courses: '&id, source' });
		// A future version beyond the app's own: the reader must not block its upgrade.
		upgraded.version(3).stores({ notes: '&id' });
		await upgraded.open();
		expect(upgraded.verno).toBe(3);
		upgraded.close();

		// The reader reopens the database at its new version on the next read.
		expect((await reader.course('sample-course'))?.id).toBe('sample-course');
	});
});
