import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { courseEntries, signedCourse, zipOf, type SignedCourse } from '../../../tests/support/hostile-bundles';
import { generatePublisherKeys, type PublisherKeyPair } from '$lib/course-format/signature';
import { openContentDb, type ContentDb } from './content-db';
import { importBundle } from './import-bundle';
import { courseAsFile } from './share-course';

let keys: PublisherKeyPair;
let course: SignedCourse;
let count = 0;
const sanitize = { html: (text: string) => `<!--safe-->${text}`, svg: (text: string) => text };

async function phone(): Promise<ContentDb> {
	const db = openContentDb(`test-share-${count++}`);
	await db.publisherKeys.put({ publisher: 'test-publisher', publicKey: keys.publicKey, source: 'coordinator', addedAt: '2026-11-22T00:00:00.000Z' });
	return db;
}

beforeAll(async () => {
	keys = await generatePublisherKeys();
	course = await signedCourse(keys);
});

describe('courseAsFile', () => {
	it('gives a file that another phone verifies and installs as the same course, byte for byte', async () => {
		const first = await phone();
		const hindiOnly = Object.fromEntries(Object.entries(courseEntries(course)).filter(([name]) => !name.includes('.en.')));
		await importBundle({ db: first, file: new Blob([zipOf(hindiOnly) as BlobPart]), sanitize, freeSpace: async () => undefined });
		const file = await courseAsFile(first, 'sample-course');
		expect(file.name).toBe('sample-course-v1.zip');

		const second = await phone();
		const result = await importBundle({ db: second, file, sanitize, freeSpace: async () => undefined });
		expect(result).toMatchObject([{ id: 'sample-course', outcome: 'installed', languages: ['hi'] }]);
		const [a, b] = [await first.courses.get('sample-course'), await second.courses.get('sample-course')];
		expect(b).toMatchObject({ manifestText: a!.manifestText, signature: a!.signature, languages: ['hi'] });
		expect(await second.files.toCollection().primaryKeys()).toEqual(await first.files.toCollection().primaryKeys());
		for (const stored of await second.files.toArray()) {
			expect(new Uint8Array(await stored.blob.arrayBuffer())).toEqual(new Uint8Array(await (await first.files.get(stored.sha256))!.blob.arrayBuffer()));
		}
	});

	it('refuses a course whose lesson text an older Sikho kept only sanitised', async () => {
		const db = await phone();
		await importBundle({ db, file: new Blob([zipOf(courseEntries(course)) as BlobPart]), sanitize, freeSpace: async () => undefined });
		const lesson = course.manifest.files.find((f) => f.path === 'lessons/intro.en.html')!;
		await db.files.update(lesson.sha256, { stale: true });
		await expect(courseAsFile(db, 'sample-course')).rejects.toMatchObject({ code: 'stale' });
	});
});
