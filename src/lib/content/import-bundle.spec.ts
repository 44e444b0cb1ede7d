import 'fake-indexeddb/auto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { courseEntries, districtOf, hostileBundles, signedCourse, zipOf, type HostileCase, type SignedCourse } from '../../../tests/support/hostile-bundles';
import { sha256Hex } from '$lib/course-format/bytes';
import { generatePublisherKeys, type PublisherKeyPair } from '$lib/course-format/signature';
import { openContentDb, type ContentDb } from './content-db';
import { ContentReader } from './content-reader';
import { importBundle, ImportError, type ImportOptions, type ImportProgress } from './import-bundle';
import type { Sanitize } from './stored-file';

let keys: PublisherKeyPair;
let corpus: HostileCase[];
let v1: SignedCourse;
let db: ContentDb;
let dbCount = 0;

/** Marks what it "sanitised", so the test sees which copy is shown. */
const sanitize: Sanitize = { html: (text) => `<!--safe-->${text}`, svg: (text) => `<!--safe-->${text}` };
const fileOf = (bytes: Uint8Array) => new Blob([bytes as BlobPart]);
const importFile = (bytes: Uint8Array, extra: Partial<ImportOptions> = {}) => importBundle({ db, file: fileOf(bytes), sanitize, freeSpace: async () => undefined, ...extra });
const problemOf = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: unknown) => (error instanceof ImportError ? error.code : `threw ${String(error)}`));

/** Everything stored, to show a refused import changed nothing. */
async function snapshot() {
	return {
		courses: await db.courses.toArray(),
		files: (await db.files.toCollection().primaryKeys()).sort(),
		imports: await db.imports.count()
	};
}

beforeAll(async () => {
	keys = await generatePublisherKeys();
	corpus = await hostileBundles(keys, await generatePublisherKeys());
	v1 = await signedCourse(keys);
}, 60_000);

beforeEach(async () => {
	db = openContentDb(`test-import-${dbCount++}`);
	await db.publisherKeys.put({ publisher: 'test-publisher', publicKey: keys.publicKey, source: 'coordinator', addedAt: '2026-11-22T00:00:00.000Z' });
});

afterEach(() => db.close());

describe('importBundle', () => {
	it('installs a course from a file as a download would, keeping the signed bytes and showing the sanitised copy', async () => {
		const seen: ImportProgress[] = [];
		const result = await importFile(zipOf(courseEntries(v1)), { onProgress: (p) => seen.push(p) });
		expect(result).toEqual([{ id: 'sample-course', version: 1, title: v1.manifest.title, languages: ['en', 'hi'], outcome: 'installed' }]);
		expect(await db.courses.get('sample-course')).toMatchObject({ version: 1, manifestText: v1.manifestText, signature: v1.signature, languages: ['en', 'hi'], source: 'file' });

		// Every file stored once by its SHA-256, the bytes exactly as signed.
		const shas = [...new Set(v1.manifest.files.map((f) => f.sha256))].sort();
		expect((await snapshot()).files).toEqual(shas);
		for (const file of await db.files.toArray()) expect(await sha256Hex(new Uint8Array(await file.blob.arrayBuffer()))).toBe(file.sha256);

		// The lesson screen's reader gets the sanitised copy of lesson text, the media as they are.
		const reader = new ContentReader(db.name);
		const intro = v1.manifest.files.find((f) => f.path === 'lessons/intro.en.html')!;
		const image = v1.manifest.files.find((f) => f.path === 'media/stages.png')!;
		const [html, png] = await reader.blobs([intro.sha256, image.sha256]);
		expect(await html!.text()).toBe(`<!--safe-->${new TextDecoder().decode(v1.files['lessons/intro.en.html'])}`);
		expect(await png!.text()).toBe(new TextDecoder().decode(v1.files['media/stages.png']));
		reader.close();

		const total = v1.manifest.files.reduce((n, f) => n + f.size, 0);
		expect(seen.at(-1)).toEqual({ bytesDone: total, bytesTotal: total });
		expect(seen.map((p) => p.bytesDone)).toEqual([...seen.map((p) => p.bytesDone)].sort((a, b) => a - b));
		expect(await db.imports.count()).toBe(0);
	});

	it('changes nothing when the same course is imported again', async () => {
		await importFile(zipOf(courseEntries(v1)));
		const before = await snapshot();
		expect(await importFile(zipOf(courseEntries(v1)))).toMatchObject([{ outcome: 'unchanged' }]);
		expect(await snapshot()).toEqual(before);
	});

	it('adds a language the phone lacks from a file of the same version', async () => {
		const hindiOnly = Object.fromEntries(Object.entries(courseEntries(v1)).filter(([name]) => !name.includes('.en.')));
		expect(await importFile(zipOf(hindiOnly))).toMatchObject([{ outcome: 'installed', languages: ['hi'] }]);
		expect(await importFile(zipOf(courseEntries(v1)))).toMatchObject([{ outcome: 'added_languages' }]);
		expect((await db.courses.get('sample-course'))!.languages).toEqual(['hi', 'en']);
	});

	it('upgrades to a newer version and frees the files only the old one used; refuses an older one', async () => {
		await importFile(zipOf(courseEntries(v1)));
		const v2 = await signedCourse(keys, { 'lessons/intro.en.html': '<h2>Hello again</h2><p><img src="media/stages.png" alt="Stages"></p>' }, { version: 2 });
		expect(await importFile(zipOf(courseEntries(v2)))).toMatchObject([{ version: 2, outcome: 'upgraded' }]);
		expect((await snapshot()).files).toEqual([...new Set(v2.manifest.files.map((f) => f.sha256))].sort());

		const before = await snapshot();
		expect(await problemOf(importFile(zipOf(courseEntries(v1))))).toBe('older_version');
		expect(await snapshot()).toEqual(before);
	});

	it('installs every course of a district bundle, keeping a newer version the phone already has', async () => {
		const v3 = await signedCourse(keys, {}, { version: 3 });
		await importFile(zipOf(courseEntries(v3)));
		const second = await signedCourse(keys, {}, { id: 'second-course' });
		const result = await importFile(districtOf([v1, second]));
		expect(result.map((r) => [r.id, r.version, r.outcome])).toEqual([
			['sample-course', 1, 'newer_on_phone'],
			['second-course', 1, 'installed']
		]);
		expect((await db.courses.get('sample-course'))!.version).toBe(3);
		expect(await db.courses.get('second-course')).toMatchObject({ version: 1, source: 'file' });
	});

	it('refuses every hostile bundle with its reason and changes nothing stored', async () => {
		// Another course, with files of its own (files the phone holds already are never read again).
		const texts = { 'lessons/intro.en.html': '<p>Other</p>', 'lessons/intro.hi.html': '<p>अन्य</p>', 'media/stages.png': 'OTHER-PNG' };
		await importFile(zipOf(courseEntries(await signedCourse(keys, texts, { id: 'already-here' }))));
		const before = await snapshot();
		for (const hostile of corpus) {
			expect({ file: hostile.name, problem: await problemOf(importFile(hostile.bytes)) }).toEqual({ file: hostile.name, problem: hostile.refusal });
			expect({ file: hostile.name, stored: await snapshot() }).toEqual({ file: hostile.name, stored: before });
		}
	}, 60_000);

	it('removes what it stored when a file fails its hash after others were stored', async () => {
		const lesson = 'quizzes/check.hi.json';
		const tampered = v1.files[lesson]!.slice();
		tampered[5] = tampered.at(5)! ^ 1;
		const stored: string[] = [];
		db.files.hook('creating', (sha) => void stored.push(sha as string));
		expect(await problemOf(importFile(zipOf({ ...courseEntries(v1), [lesson]: tampered })))).toBe('hash_mismatch');
		expect(stored.length).toBeGreaterThan(0);
		expect(await snapshot()).toEqual({ courses: [], files: [], imports: 0 });
	});

	it('refuses a file larger than the free space before reading it, and a cancelled import leaves nothing', async () => {
		expect(await problemOf(importFile(zipOf(courseEntries(v1)), { freeSpace: async () => 10 }))).toBe('no_space');
		const controller = new AbortController();
		const cancelled = importFile(zipOf(courseEntries(v1)), {
			signal: controller.signal,
			onProgress: (p) => {
				if (p.bytesDone > 0) controller.abort();
			}
		});
		await expect(cancelled).rejects.toThrow();
		expect(await snapshot()).toEqual({ courses: [], files: [], imports: 0 });
	});
});
