import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { openContentDb } from './content-db';
import { ContentReader } from './content-reader';

describe('the content database schema', () => {
	it('upgrades a phone’s version 1 data to version 2, keeping every course and file', async () => {
		// A phone that installed Sikho when the schema was version 1, with a course on it.
		const name = 'upgrade-from-v1';
		const v1 = new Dexie(name);
		v1.version(1).stores({ courses: '&id', files: '&sha256', downloads: '&key', publishers: '&id' });
		const course = { id: 'sample-course', version: 3, manifestText: '{}', signature: 'sig', languages: ['hi'], installedAt: '2026-11-01T00:00:00.000Z' };
		await v1.table('courses').put(course);
		await v1.table('files').put({ sha256: 'a'.repeat(64), blob: new Blob(['<p>lesson</p>']) });
		v1.close();

		const db = openContentDb(name);
		expect(await db.courses.get('sample-course')).toEqual({ ...course, source: 'download' });
		expect(await db.courses.where('source').equals('download').count()).toBe(1);
		expect(await db.files.count()).toBe(1);
		expect(db.verno).toBe(2);

		// The lesson screen's plain reader opens the upgraded database as Dexie left it.
		const reader = new ContentReader(name);
		expect(await reader.course('sample-course')).toMatchObject({ version: 3, source: 'download' });
		reader.close();
		db.close();
	});
});
