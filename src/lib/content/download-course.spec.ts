import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generatePublisherKeys, type PublisherKeyPair } from '$lib/course-format/signature';
import { filesForLanguage } from '$lib/course-format/manifest';
import { signedSample, type SignedSample } from '$lib/course-format/test-support/sample-bundle';
import { openContentDb, type ContentDb } from './content-db';
import { downloadCourse, DownloadError, type DownloadProgress } from './download-course';
import { fakeCourseServer, type FakeCourseServer } from './test-support/fake-course-server';

let db: ContentDb;
let keys: PublisherKeyPair;
let v1: SignedSample;
let server: FakeCourseServer;
let dbCount = 0;

/** Every file asked for, over all packs. */
const filesRequested = () => server.packs.flat();
const storedShas = async () => (await db.files.toCollection().primaryKeys()).sort();
const shasOf = (sample: SignedSample, language: string) => filesForLanguage(sample.manifest, language).map((f) => f.sha256).sort();
const download = (language = 'en', extra: Partial<Parameters<typeof downloadCourse>[0]> = {}) =>
	downloadCourse({ db, courseId: 'sample-course', language, fetch: server.fetch, ...extra });

beforeEach(async () => {
	db = openContentDb(`test-content-${dbCount++}`);
	keys = await generatePublisherKeys();
	v1 = await signedSample({ keys });
	server = fakeCourseServer(v1);
	await db.publisherKeys.put({ publisher: 'test-publisher', publicKey: keys.publicKey, source: 'server', addedAt: '2026-11-22T00:00:00.000Z' });
});

afterEach(() => db.close());

describe('downloadCourse', () => {
	it('stores exactly one language’s verified files, then the course, with byte progress', async () => {
		const seen: DownloadProgress[] = [];
		const course = await download('en', { onProgress: (p) => seen.push(p) });
		expect(course).toMatchObject({ id: 'sample-course', version: 1, languages: ['en'] });
		expect(await storedShas()).toEqual(shasOf(v1, 'en'));
		const total = filesForLanguage(v1.manifest, 'en').reduce((n, f) => n + f.size, 0);
		expect(seen.at(-1)).toEqual({ bytesDone: total, bytesTotal: total, bytesFetched: total });
		expect(seen.map((p) => p.bytesDone)).toEqual([...seen.map((p) => p.bytesDone)].sort((a, b) => a - b));
		expect(await db.downloads.count()).toBe(0);
	});

	it('refuses a course whose publisher is not trusted, storing nothing', async () => {
		await db.publisherKeys.clear();
		await expect(download()).rejects.toMatchObject({ code: 'unknown_publisher' });
		expect(await db.files.count()).toBe(0);
		expect(await db.courses.count()).toBe(0);
	});

	it('asks for all missing files in few requests, text apart from media', async () => {
		await download('en');
		expect(server.requests.filter((url) => url.startsWith('/content/'))).toEqual(['/content/pack', '/content/pack']);
		const pathOf = (sha: string) => v1.manifest.files.find((f) => f.sha256 === sha)!.path;
		expect(server.packs.map((pack) => pack.map(pathOf).sort())).toEqual([
			['lessons/intro.en.html', 'lessons/listen.en.html', 'quizzes/check.en.json'],
			['media/listen.en.ogg', 'media/stages.png']
		]);
	});

	it('fetches a file once when two paths hold the same bytes', async () => {
		const twins = await signedSample({ keys, changed: { 'lessons/listen.en.html': '<p>Same bytes</p>', 'quizzes/check.en.json': '<p>Same bytes</p>' } });
		server.publish(twins);
		const seen: DownloadProgress[] = [];
		await download('en', { onProgress: (p) => seen.push(p) });
		expect(filesRequested()).toHaveLength(new Set(filesRequested()).size);
		expect([...filesRequested()].sort()).toEqual([...new Set(shasOf(twins, 'en'))].sort());
		expect(seen.at(-1)!.bytesDone).toBe(seen.at(-1)!.bytesTotal);
	});

	it('splits packs by size, each file in exactly one pack', async () => {
		await download('en', { packBytes: 40 });
		const sizeOf = (sha: string) => v1.manifest.files.find((f) => f.sha256 === sha)!.size;
		expect(server.packs.length).toBeGreaterThan(2);
		for (const pack of server.packs) expect(pack.length === 1 || pack.reduce((n, sha) => n + sizeOf(sha), 0) <= 40).toBe(true);
		expect([...filesRequested()].sort()).toEqual(shasOf(v1, 'en'));
		expect(await storedShas()).toEqual(shasOf(v1, 'en'));
	});

	it('takes a pack that ends early for a cut connection, keeping the files before the gap', async () => {
		server.skewPacks(-1);
		await expect(download('en', { parallel: 1 })).rejects.toMatchObject({ code: 'offline' });
		expect(await db.courses.count()).toBe(0);
		// The first pack lost only its last file.
		expect(await db.files.count()).toBe(server.packs[0]!.length - 1);
	});

	it('refuses a pack longer than its files as a server fault', async () => {
		server.skewPacks(1);
		await expect(download('en')).rejects.toMatchObject({ code: 'server' });
		expect(await db.courses.count()).toBe(0);
	});

	it('refuses a file that does not match its hash, and never installs half a course', async () => {
		server.corrupt('lessons/listen.en.html');
		await expect(download()).rejects.toMatchObject({ code: 'hash_mismatch' });
		expect(await db.courses.count()).toBe(0);
		expect(await storedShas()).not.toContain(v1.manifest.files.find((f) => f.path === 'lessons/listen.en.html')!.sha256);
	});

	it('after a connection cut mid-pack, resumes by fetching only the missing files', async () => {
		server.cutAfter(2);
		await expect(download('en', { parallel: 1 })).rejects.toMatchObject({ code: 'offline' });
		expect(await db.courses.count()).toBe(0);
		const kept = await storedShas();
		expect(kept).toHaveLength(2);

		server.packs.length = 0;
		server.publish(v1);
		await download('en', { parallel: 1 });
		expect([...filesRequested()].sort()).toEqual(shasOf(v1, 'en').filter((sha) => !kept.includes(sha)));
		expect(await db.courses.get('sample-course')).toMatchObject({ version: 1 });
	});

	it('pauses when told to, keeping what it verified', async () => {
		const pause = new AbortController();
		let files = 0;
		await expect(
			download('en', { parallel: 1, signal: pause.signal, onProgress: (p) => p.bytesFetched > 0 && ++files === 1 && pause.abort() })
		).rejects.toThrow();
		expect(await db.courses.count()).toBe(0);
		expect(await db.downloads.count()).toBe(1);
		await download('en');
		expect(await storedShas()).toEqual(shasOf(v1, 'en'));
	});

	it('updates to a new version fetching only changed files, keeping the old usable until done', async () => {
		await download('en');
		const v2 = await signedSample({ keys, version: 2, changed: { 'lessons/intro.en.html': '<h2>Hello again</h2><p>New text.</p>' } });
		server.publish(v2);
		server.requests.length = 0;

		server.cutAfter(0);
		await expect(download('en')).rejects.toMatchObject({ code: 'offline' });
		expect(await db.courses.get('sample-course')).toMatchObject({ version: 1 });
		expect(await storedShas()).toEqual(expect.arrayContaining(shasOf(v1, 'en')));

		server.publish(v2);
		server.requests.length = 0;
		server.packs.length = 0;
		await download('en');
		const changed = v2.manifest.files.find((f) => f.path === 'lessons/intro.en.html')!.sha256;
		expect(server.packs).toEqual([[changed]]);
		// The manifest came as a patch over version 1's text: one request, no whole manifest.
		expect(server.requests.filter((url) => url.startsWith('/api/'))).toEqual(['/api/courses/sample-course?have=1']);
		expect(await db.courses.get('sample-course')).toMatchObject({ version: 2, manifestText: new TextDecoder().decode(v2.manifestBytes) });
		expect(await storedShas()).toEqual(shasOf(v2, 'en'));
	});

	it('fetches the whole manifest when a patch does not rebuild the signed text', async () => {
		await download('en');
		const v2 = await signedSample({ keys, version: 2, changed: { 'lessons/intro.en.html': '<p>Patched?</p>' } });
		server.publish(v2);
		server.breakPatches();
		server.requests.length = 0;
		await download('en');
		expect(server.requests.filter((url) => url.startsWith('/api/'))).toEqual(['/api/courses/sample-course?have=1', '/api/courses/sample-course']);
		expect(await db.courses.get('sample-course')).toMatchObject({ version: 2, signature: v2.signature });
	});

	it('adds a second language without losing the first', async () => {
		await download('en');
		await download('hi');
		expect((await db.courses.get('sample-course'))!.languages).toEqual(['en', 'hi']);
		expect(await storedShas()).toEqual([...new Set([...shasOf(v1, 'en'), ...shasOf(v1, 'hi')])].sort());
	});

	it('says when a language is not offered', async () => {
		await expect(download('fr')).rejects.toMatchObject({ code: 'not_offered' });
	});
});

describe('downloadCourse after a failure', () => {
	it('stops every parallel fetch: nothing more is stored or reported once it has failed', async () => {
		// One file per pack. The largest (asked for first) is still on its way when the others fail.
		server.delay('quizzes/check.en.json', 30);
		server.cutAfter(1);
		const reports: DownloadProgress[] = [];
		await expect(download('en', { parallel: 4, packBytes: 1, onProgress: (p) => reports.push(p) })).rejects.toMatchObject({ code: 'offline' });
		const storedAtFailure = await db.files.count();
		const reportsAtFailure = reports.length;
		await new Promise((resolve) => setTimeout(resolve, 80));
		expect(await db.files.count()).toBe(storedAtFailure);
		expect(reports).toHaveLength(reportsAtFailure);
	});
});
