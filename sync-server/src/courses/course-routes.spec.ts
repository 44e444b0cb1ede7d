import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { zipSync, unzipSync } from 'fflate';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/lib/course-format/bytes.js';
import { generatePublisherKeys, verifyManifest, type PublisherKeyPair } from '../../../src/lib/course-format/signature.js';
import { makeFixture, type Fixture } from '../../test-support/app-fixture.js';
import { COURSE_YAML, writeCourse } from '../../test-support/course-fixture.js';
import { applyManifestPatch } from '../../../src/lib/course-format/manifest-patch.js';
import { buildBundle } from '../course-cli/build-bundle.js';
import { openBundle } from '../course-cli/open-bundle.js';
import { openBundleFile } from '../../../src/lib/course-format/bundle-reader.js';
import { DISTRICT_MAX_COURSES } from '../../../src/lib/course-format/district.js';
import { SHIPPED_PUBLISHERS } from '../../../src/lib/course-format/shipped-publishers.js';
import { loadConfig } from '../config.js';
import { buildServer } from '../server.js';

const ADMIN = 'a-long-enough-admin-token-for-tests';
const SAMPLE_FOLDER = join(process.cwd(), 'courses', 'public-procurement-essentials');
const SAMPLE_BUNDLE = `${SAMPLE_FOLDER}.zip`;
let fixture: Fixture;
let keys: PublisherKeyPair;
let app: FastifyInstance;

async function tinyBundle(changes: Record<string, string | null> = {}, createdAt = new Date('2026-11-22T00:00:00Z')) {
	return buildBundle(await writeCourse(changes), { privateKey: keys.privateKey, createdAt });
}

const publish = (zip: Uint8Array, token = ADMIN) =>
	app.inject({ method: 'POST', url: '/api/courses', headers: { 'content-type': 'application/zip', authorization: `Bearer ${token}` }, payload: Buffer.from(zip) });

beforeEach(async () => {
	fixture = await makeFixture();
	keys = await generatePublisherKeys();
	await mkdir(join(fixture.dataDir, 'publishers'), { recursive: true });
	await writeFile(join(fixture.dataDir, 'publishers', 'test-publisher.pub'), keys.publicKey);
	app = await buildServer(loadConfig({ APP_DIR: fixture.appDir, DATA_DIR: fixture.dataDir, LOG_LEVEL: 'silent', ADMIN_TOKEN: ADMIN }));
});

afterEach(async () => {
	await app.close();
});

describe('publishing', () => {
	it('stores a trusted bundle once, and lists it in the catalog with its size per language', async () => {
		const built = await tinyBundle();
		expect((await publish(built.zip)).statusCode).toBe(201);
		expect((await publish(built.zip)).json()).toEqual({ status: 'unchanged', id: 'tiny-course', version: 1 });

		const catalog = (await app.inject({ url: '/api/catalog' })).json();
		expect(catalog.publishers).toEqual({ 'test-publisher': keys.publicKey });
		expect(catalog.courses).toEqual([
			expect.objectContaining({
				id: 'tiny-course',
				version: 1,
				languages: ['en', 'hi'],
				lessons: 3,
				minutes: 8,
				title: { en: 'Tiny course', hi: 'छोटा कोर्स' },
				downloadBytes: { en: expect.any(Number), hi: expect.any(Number) }
			})
		]);
	});

	it('needs the admin token, and is off without one', async () => {
		const built = await tinyBundle();
		expect((await publish(built.zip, 'a-wrong-but-long-enough-admin-token')).statusCode).toBe(401);
		const closed = await buildServer(loadConfig({ APP_DIR: fixture.appDir, DATA_DIR: fixture.dataDir, LOG_LEVEL: 'silent' }));
		const res = await closed.inject({ method: 'POST', url: '/api/courses', headers: { 'content-type': 'application/zip', authorization: `Bearer ${ADMIN}` }, payload: Buffer.from(built.zip) });
		await closed.close();
		expect(res.statusCode).toBe(403);
	});

	it('refuses a tampered, untrusted, older or conflicting bundle and stores nothing of it', async () => {
		const v1 = await tinyBundle();
		expect((await publish(v1.zip)).statusCode).toBe(201);

		const entries = unzipSync(v1.zip);
		entries['lessons/intro.en.html'] = new TextEncoder().encode('<p>changed</p>');
		const tampered = await publish(zipSync(entries));
		expect(tampered.statusCode).toBe(400);
		expect(tampered.json()).toMatchObject({ error: 'bad_request', problem: 'hash_mismatch' });

		const stranger = await buildBundle(await writeCourse(), { privateKey: (await generatePublisherKeys()).privateKey });
		expect((await publish(stranger.zip)).json()).toMatchObject({ problem: 'bad_signature' });

		const changedV1 = await tinyBundle({ 'lessons/en/listen.md': 'Changed transcript.\n' });
		expect((await publish(changedV1.zip)).json()).toMatchObject({ error: 'conflict', problem: 'version_conflict' });

		const v2 = await tinyBundle({ 'course.yaml': COURSE_YAML.replace('version: 1', 'version: 2') });
		expect((await publish(v2.zip)).statusCode).toBe(201);
		expect((await publish(v1.zip)).json()).toMatchObject({ problem: 'older_version' });

		expect((await publish(new TextEncoder().encode('not a zip'))).statusCode).toBe(400);
		const { courses } = (await app.inject({ url: '/api/catalog' })).json();
		expect(courses.map((c: { version: number }) => c.version)).toEqual([2]);
		const changed = await sha256Hex(new TextEncoder().encode('<p>changed</p>'));
		expect((await app.inject({ url: `/content/${changed}` })).statusCode).toBe(404);
	});
});

describe('reading a course', () => {
	it('serves the manifest exactly as signed', async () => {
		await publish((await tinyBundle()).zip);
		const { manifest, signature } = (await app.inject({ url: '/api/courses/tiny-course' })).json();
		expect(await verifyManifest(new TextEncoder().encode(manifest), signature, keys.publicKey)).toBe(true);
		expect((await app.inject({ url: '/api/courses/nope' })).json()).toEqual({ error: 'not_found', reason: 'No course "nope"' });
	});

	it('sends a phone that has an older version only a patch that rebuilds the signed text', async () => {
		const v1 = await tinyBundle();
		await publish(v1.zip);
		const v2 = await tinyBundle({ 'course.yaml': COURSE_YAML.replace('version: 1', 'version: 2'), 'lessons/en/listen.md': 'A new transcript.\n' });
		await publish(v2.zip);
		const whole = (await app.inject({ url: '/api/courses/tiny-course' })).json();

		const res = await app.inject({ url: '/api/courses/tiny-course?have=1' });
		const { patch, signature, version } = res.json();
		expect(version).toBe(2);
		expect(patch.from).toBe(1);
		expect(signature).toBe(whole.signature);
		expect(res.body.length).toBeLessThan(whole.manifest.length / 2);
		const rebuilt = applyManifestPatch(new TextDecoder().decode(v1.manifestBytes), patch.ops);
		expect(rebuilt).toBe(whole.manifest);
		expect(await verifyManifest(new TextEncoder().encode(rebuilt), signature, keys.publicKey)).toBe(true);

		// Nothing to patch from: the latest itself, an unknown or a nonsense version get the whole text.
		for (const have of ['2', '7', '0', 'x', '1e400', '-1']) {
			expect((await app.inject({ url: `/api/courses/tiny-course?have=${have}` })).json(), have).toEqual(whole);
		}
	});

	it('serves each file by its SHA-256, immutable, typed, sandboxed, with byte ranges', async () => {
		const built = await tinyBundle();
		await publish(built.zip);
		const audio = built.manifest.files.find((f) => f.path === 'media/listen.hi.ogg')!;
		const whole = await app.inject({ url: `/content/${audio.sha256}` });
		expect(whole.statusCode).toBe(200);
		expect(whole.body).toBe('OGG-HI');
		expect(whole.headers).toMatchObject({ 'content-type': 'audio/ogg', 'cache-control': 'public, max-age=31536000, immutable' });
		expect(whole.headers['content-security-policy']).toContain('sandbox');

		const part = await app.inject({ url: `/content/${audio.sha256}`, headers: { range: 'bytes=4-' } });
		expect(part.statusCode).toBe(206);
		expect(part.body).toBe('HI');
		expect(part.headers['content-range']).toBe('bytes 4-5/6');

		const html = built.manifest.files.find((f) => f.path === 'lessons/intro.en.html')!;
		expect((await app.inject({ url: `/content/${html.sha256}` })).headers['content-type']).toBe('text/html; charset=utf-8');
		for (const url of [`/content/${'0'.repeat(64)}`, '/content/not-a-hash', '/content/../config.json']) {
			expect((await app.inject({ url })).statusCode, url).toBe(404);
		}
	});

	it('packs many files into one answer, in the order asked, text compressed and media sent as is', async () => {
		const built = await tinyBundle();
		await publish(built.zip);
		const shaOf = (path: string) => built.manifest.files.find((f) => f.path === path)!.sha256;
		const bytesOf = async (paths: string[]) => Buffer.concat(await Promise.all(paths.map(async (p) => (await app.inject({ url: `/content/${shaOf(p)}` })).rawPayload)));
		const pack = (files: unknown, headers: Record<string, string> = {}) =>
			app.inject({ method: 'POST', url: '/content/pack', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify({ files }) });

		const mediaPaths = ['media/listen.hi.ogg', 'lessons/intro.en.html', 'media/listen.en.ogg'];
		const media = await pack(mediaPaths.map(shaOf), { 'accept-encoding': 'br, gzip' });
		expect(media.statusCode).toBe(200);
		expect(media.headers['content-type']).toBe('application/vnd.sikho.pack');
		expect(media.headers['content-encoding']).toBeUndefined();
		expect(media.rawPayload.equals(await bytesOf(mediaPaths))).toBe(true);
		expect(Number(media.headers['content-length'])).toBe(media.rawPayload.length);

		const textPaths = built.manifest.files.map((f) => f.path).filter((p) => /\.(html|json)$/.test(p));
		const text = await pack(textPaths.map(shaOf), { 'accept-encoding': 'br, gzip' });
		expect(text.headers['content-type']).toBe('application/vnd.sikho.text-pack');
		expect(text.headers['content-encoding']).toBe('br');
		expect(brotliDecompressSync(text.rawPayload).equals(await bytesOf(textPaths))).toBe(true);
	});

	it('refuses a pack naming an unknown file, or a body that is not a list of distinct hashes', async () => {
		const built = await tinyBundle();
		await publish(built.zip);
		const known = built.manifest.files[0]!.sha256;
		const pack = (body: unknown) => app.inject({ method: 'POST', url: '/content/pack', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });

		const unknown = await pack({ files: [known, 'f'.repeat(64)] });
		expect(unknown.statusCode).toBe(404);
		expect(unknown.json()).toEqual({ error: 'not_found', reason: `No such course file: ${'f'.repeat(64)}` });
		for (const body of [{}, { files: [] }, { files: [known, known] }, { files: ['not-a-hash'] }, { files: [known.toUpperCase()] }]) {
			const res = await pack(body);
			expect(res.statusCode, JSON.stringify(body)).toBe(400);
			expect(res.json().error).toBe('bad_request');
		}
		const tooMany = Array.from({ length: 501 }, (_, i) => i.toString(16).padStart(64, '0'));
		expect((await pack({ files: tooMany })).statusCode).toBe(400);
		const notJson = await app.inject({ method: 'POST', url: '/content/pack', headers: { 'content-type': 'text/plain' }, payload: known });
		expect(notJson.statusCode).toBe(400);
		expect((await pack({ files: [known], padding: 'x'.repeat(1024 * 1024) })).json().error).toBe('too_large');
	});

	it('makes a whole bundle per language for coordinators, which verifies', async () => {
		await publish((await tinyBundle()).zip);
		const res = await app.inject({ url: '/api/courses/tiny-course/bundle?language=hi' });
		expect(res.statusCode).toBe(200);
		expect(res.headers['content-disposition']).toBe('attachment; filename="tiny-course-v1-hi.zip"');
		const opened = await openBundle(new Uint8Array(res.rawPayload), { 'test-publisher': keys.publicKey });
		expect(opened.languages).toEqual(['hi']);
		expect([...opened.files.keys()].some((path) => path.includes('.en.'))).toBe(false);

		const both = await app.inject({ url: '/api/courses/tiny-course/bundle' });
		expect((await openBundle(new Uint8Array(both.rawPayload), { 'test-publisher': keys.publicKey })).languages).toEqual(['en', 'hi']);
		expect((await app.inject({ url: '/api/courses/tiny-course/bundle?language=fr' })).statusCode).toBe(400);
	});

	it('packs several courses into one district bundle, each verifiable, in the languages asked for', async () => {
		await publish((await tinyBundle()).zip);
		await publish((await tinyBundle({ 'course.yaml': COURSE_YAML.replace('id: tiny-course', 'id: other-course') })).zip);
		const res = await app.inject({ url: '/api/district-bundle?courses=tiny-course,other-course&language=hi' });
		expect(res.statusCode).toBe(200);
		expect(res.headers['content-disposition']).toMatch(/^attachment; filename="sikho-district-\d{4}-\d{2}-\d{2}\.zip"$/);
		const bundle = await openBundleFile(new Blob([new Uint8Array(res.rawPayload)]), { 'test-publisher': keys.publicKey });
		expect(bundle.kind).toBe('district');
		expect(bundle.courses.map((c) => [c.manifest.id, c.languages])).toEqual([
			['tiny-course', ['hi']],
			['other-course', ['hi']]
		]);
		for (const course of bundle.courses) for (const entry of course.files) await bundle.readFile(course, entry, () => undefined);

		// A language applies to each course that offers it; each course must offer one of those asked.
		const some = await app.inject({ url: '/api/district-bundle?courses=tiny-course&language=fr,hi' });
		expect((await openBundleFile(new Blob([new Uint8Array(some.rawPayload)]), { 'test-publisher': keys.publicKey })).courses[0]!.languages).toEqual(['hi']);
		const refusal = async (query: string) => {
			const answer = await app.inject({ url: `/api/district-bundle${query}` });
			return [answer.statusCode, answer.json().reason as string];
		};
		expect(await refusal('')).toEqual([400, 'Name the courses: ?courses=<id>,<id>']);
		expect(await refusal('?courses=tiny-course,nowhere')).toEqual([400, 'No course "nowhere" is published']);
		expect(await refusal('?courses=tiny-course&language=fr')).toEqual([400, '"tiny-course" is not offered in fr']);
		const tooMany = Array.from({ length: DISTRICT_MAX_COURSES + 1 }, (_, i) => `course-${i}`).join(',');
		expect(await refusal(`?courses=${tooMany}`)).toEqual([400, `At most ${DISTRICT_MAX_COURSES} courses in one district bundle`]);
	});
});

describe('publishing at start', () => {
	it('builds a course folder with a key of its own, and finds it unchanged on the next start', async () => {
		const fresh = await makeFixture();
		const course = await writeCourse();
		const config = loadConfig({ APP_DIR: fresh.appDir, DATA_DIR: fresh.dataDir, LOG_LEVEL: 'silent', PUBLISH_COURSES: course });
		const record = () => readFile(join(fresh.dataDir, 'courses', 'tiny-course', '1.json'), 'utf8');

		const first = await buildServer(config);
		const catalog = (await first.inject({ url: '/api/catalog' })).json();
		await first.close();
		expect(catalog.courses.map((c: { id: string }) => c.id)).toEqual(['tiny-course']);
		expect(Object.keys(catalog.publishers)).toEqual(['test-publisher']);
		const published = await record();

		const second = await buildServer(config);
		await second.close();
		expect(await record()).toBe(published);
	});

	it('publishes the signed sample bundle on the shipped key alone, and sends the very same course back', async () => {
		const fresh = await makeFixture();
		const server = await buildServer(loadConfig({ APP_DIR: fresh.appDir, DATA_DIR: fresh.dataDir, LOG_LEVEL: 'silent', PUBLISH_COURSES: SAMPLE_BUNDLE }));
		try {
			const catalog = (await server.inject({ url: '/api/catalog' })).json();
			// The catalog lists this server's own keys only: the app ships the sample key itself.
			expect(catalog.publishers).toEqual({});
			expect(catalog.courses.map((c: { id: string }) => c.id)).toEqual(['public-procurement-essentials']);
			const sent = await openBundle(new Uint8Array((await server.inject({ url: '/api/courses/public-procurement-essentials/bundle' })).rawPayload), SHIPPED_PUBLISHERS);
			const committed = await openBundle(new Uint8Array(await readFile(SAMPLE_BUNDLE)), SHIPPED_PUBLISHERS);
			expect(sent.manifestBytes).toEqual(committed.manifestBytes);
			expect(sent.signature).toBe(committed.signature);
			const digests = (files: Map<string, Uint8Array>) => [...files].map(([path, bytes]) => [path, createHash('sha256').update(bytes).digest('hex')]).sort();
			expect(digests(sent.files)).toEqual(digests(committed.files));
		} finally {
			await server.close();
		}
	});

	it('signs the sample folder with a key of its own although the shipped key is trusted too', async () => {
		const fresh = await makeFixture();
		const server = await buildServer(loadConfig({ APP_DIR: fresh.appDir, DATA_DIR: fresh.dataDir, LOG_LEVEL: 'silent', PUBLISH_COURSES: SAMPLE_FOLDER }));
		try {
			const catalog = (await server.inject({ url: '/api/catalog' })).json();
			expect(catalog.courses.map((c: { id: string }) => c.id)).toEqual(['public-procurement-essentials']);
			const ownKey = (await readFile(join(fresh.dataDir, 'publishers', 'sikho-sample.pub'), 'utf8')).trim();
			expect(catalog.publishers).toEqual({ 'sikho-sample': ownKey });
			expect(ownKey).not.toBe(SHIPPED_PUBLISHERS['sikho-sample']);
			const { manifest, signature } = (await server.inject({ url: '/api/courses/public-procurement-essentials' })).json();
			expect(await verifyManifest(new TextEncoder().encode(manifest), signature, ownKey)).toBe(true);
		} finally {
			await server.close();
		}
	});

	it('never replaces a publisher key that is trusted already', async () => {
		const course = await writeCourse();
		const config = loadConfig({ APP_DIR: fixture.appDir, DATA_DIR: fixture.dataDir, LOG_LEVEL: 'silent', PUBLISH_COURSES: course });
		const server = await buildServer(config);
		const catalog = (await server.inject({ url: '/api/catalog' })).json();
		await server.close();
		expect(catalog).toEqual({ courses: [], publishers: { 'test-publisher': keys.publicKey } });
	});
});
