import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { openContentDb } from './content-db';
import { ContentReader } from './content-reader';

describe('the content database schema', () => {
	it('upgrades a phone’s version 1 data to the current version, keeping every course, file and publisher key', async () => {
		// A phone that installed Sikho when the schema was version 1, with a course on it.
		const name = 'upgrade-from-v1';
		const v1 = new Dexie(name);
		v1.version(1).stores({ courses: '&id', files: '&sha256', downloads: '&key', publishers: '&id' });
		const course = { id: 'sample-course', version: 3, manifestText: '{}', signature: 'sig', languages: ['hi'], installedAt: '2026-11-01T00:00:00.000Z' };
		await v1.table('courses').put(course);
		const lesson = new Blob(['<p>lesson</p>'], { type: 'text/html;charset=utf-8' });
		const image = new Blob(['PNG'], { type: 'image/png' });
		await v1.table('files').bulkPut([
			{ sha256: 'a'.repeat(64), blob: lesson },
			{ sha256: 'b'.repeat(64), blob: image }
		]);
		await v1.table('publishers').put({ id: 'sikho-sample', publicKey: 'K'.repeat(43) + '=', source: 'server' });
		v1.close();

		const db = openContentDb(name);
		expect(await db.courses.get('sample-course')).toEqual({ ...course, source: 'download' });
		expect(await db.courses.where('source').equals('download').count()).toBe(1);
		expect(await db.files.count()).toBe(2);
		expect(db.verno).toBe(3);
		// Lesson text was kept sanitised only: still shown, marked to be fetched whole again.
		expect(await db.files.get('a'.repeat(64))).toMatchObject({ stale: true });
		expect(await (await db.files.get('a'.repeat(64)))!.display!.text()).toBe('<p>lesson</p>');
		expect(await db.files.get('b'.repeat(64))).not.toHaveProperty('stale');
		expect(await db.publisherKeys.toArray()).toEqual([{ publicKey: 'K'.repeat(43) + '=', publisher: 'sikho-sample', source: 'server', addedAt: expect.any(String) }]);

		// The lesson screen's plain reader opens the upgraded database as Dexie left it.
		const reader = new ContentReader(name);
		expect(await reader.course('sample-course')).toMatchObject({ version: 3, source: 'download' });
		expect(await (await reader.blobs(['a'.repeat(64)]))[0]!.text()).toBe('<p>lesson</p>');
		reader.close();
		db.close();
	});
});
