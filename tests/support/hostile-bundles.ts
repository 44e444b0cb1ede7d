/**
 * The hostile corpus: bundle files built to attack or confuse an importer, generated afresh for
 * each run (nothing binary is committed). Each names the refusal it must meet. Used by the unit
 * tests of the reader and the import (Node) and by the end-to-end test (Chromium, through the UI).
 *
 * Zips are written with fflate, then patched by hand where an attack needs a zip no honest tool
 * writes (sizes that lie, names that repeat).
 */
import { Zip, ZipPassThrough, strToU8, zipSync, type Zippable } from 'fflate';
import { DISTRICT_FILE, districtFolder } from '../../src/lib/course-format/district';
import { MANIFEST_FILE, SIGNATURE_FILE, type Manifest } from '../../src/lib/course-format/manifest';
import { signManifest, type PublisherKeyPair } from '../../src/lib/course-format/signature';
import { sampleManifest, SAMPLE_FILES } from '../../src/lib/course-format/test-support/sample-bundle';
import type { BundleProblem } from '../../src/lib/course-format/verify';

export interface HostileCase {
	/** A file name that says what it is. */
	name: string;
	bytes: Uint8Array;
	refusal: BundleProblem;
}

const encode = (text: string) => strToU8(text);

export interface SignedCourse {
	manifest: Manifest;
	manifestText: string;
	signature: string;
	files: Record<string, Uint8Array>;
}

/** The test course (publisher `test-publisher`), signed with `keys`, with some files' texts replaced. */
export async function signedCourse(keys: PublisherKeyPair, texts: Record<string, string> = {}, overrides: Partial<Manifest> = {}, svgImage = false): Promise<SignedCourse> {
	let all = { ...SAMPLE_FILES, ...texts };
	let manifest = await sampleManifest(overrides, all);
	if (svgImage) {
		// The lesson's image as an SVG file, named so: the sample's image path, renamed everywhere.
		const rename = (text: string) => text.replaceAll('media/stages.png', 'media/stages.svg');
		all = Object.fromEntries(Object.entries(all).map(([path, text]) => [rename(path), rename(text)]));
		manifest = JSON.parse(rename(JSON.stringify(await sampleManifest(overrides, all)))) as Manifest;
	}
	const manifestText = JSON.stringify(manifest);
	return {
		manifest,
		manifestText,
		signature: await signManifest(encode(manifestText), keys.privateKey),
		files: Object.fromEntries(Object.entries(all).map(([path, text]) => [path, encode(text)]))
	};
}

/** A course as a bundle's entries, under `folder` ('' for a single course). */
export function courseEntries(course: SignedCourse, folder = ''): Zippable {
	const entries: Zippable = { [folder + MANIFEST_FILE]: encode(course.manifestText), [folder + SIGNATURE_FILE]: encode(course.signature) };
	for (const [path, bytes] of Object.entries(course.files)) entries[folder + path] = bytes;
	return entries;
}

export const zipOf = (entries: Zippable) => zipSync(entries, { mtime: new Date('2026-11-22T00:00:00Z') });

export function districtOf(courses: SignedCourse[], index?: unknown): Uint8Array {
	const listed = index ?? {
		format: 1,
		createdAt: '2026-11-22T00:00:00.000Z',
		courses: courses.map((c) => ({ id: c.manifest.id, version: c.manifest.version, languages: c.manifest.languages }))
	};
	const entries: Zippable = { [DISTRICT_FILE]: encode(JSON.stringify(listed)) };
	for (const course of courses) Object.assign(entries, courseEntries(course, districtFolder(course.manifest.id)));
	return zipOf(entries);
}

/** Entries written one by one, names unchecked: what a hand-made zip may hold. */
function rawZip(entries: [string, Uint8Array][]): Uint8Array {
	const chunks: Uint8Array[] = [];
	const zip = new Zip((error, chunk) => {
		if (error) throw error;
		chunks.push(chunk);
	});
	for (const [name, bytes] of entries) {
		const file = new ZipPassThrough(name);
		zip.add(file);
		file.push(bytes, true);
	}
	zip.end();
	const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
	let at = 0;
	for (const chunk of chunks) {
		out.set(chunk, at);
		at += chunk.length;
	}
	return out;
}

const u32 = (bytes: Uint8Array, at: number) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, true);
const setU32 = (bytes: Uint8Array, at: number, value: number) => new DataView(bytes.buffer, bytes.byteOffset).setUint32(at, value, true);
const u16 = (bytes: Uint8Array, at: number) => new DataView(bytes.buffer, bytes.byteOffset).getUint16(at, true);

/**
 * Rewrites the stated uncompressed size of the named entries, in their local header and the
 * central directory alike (so the zip is consistent, and lies).
 */
function stateSize(zip: Uint8Array, sizeOf: (name: string) => number | undefined): Uint8Array {
	const out = zip.slice();
	const decoder = new TextDecoder();
	for (let at = 0; at + 46 <= out.length; at++) {
		const signature = u32(out, at);
		if (signature === 0x04034b50) {
			const name = decoder.decode(out.subarray(at + 30, at + 30 + u16(out, at + 26)));
			const size = sizeOf(name);
			if (size !== undefined) setU32(out, at + 22, size);
		} else if (signature === 0x02014b50) {
			const name = decoder.decode(out.subarray(at + 46, at + 46 + u16(out, at + 28)));
			const size = sizeOf(name);
			if (size !== undefined) setU32(out, at + 24, size);
		}
	}
	return out;
}

/** Every case of the corpus. `keys` is a publisher the importer trusts as `test-publisher`; `stranger` is not trusted. */
export async function hostileBundles(keys: PublisherKeyPair, stranger: PublisherKeyPair): Promise<HostileCase[]> {
	const good = await signedCourse(keys);
	const goodZip = zipOf(courseEntries(good));
	const cases: HostileCase[] = [];
	const add = (name: string, refusal: BundleProblem, bytes: Uint8Array) => cases.push({ name, refusal, bytes });

	add('not-a-zip.zip', 'not_zip', encode('This is a letter about procurement, not a course.'));
	add('truncated.zip', 'damaged_zip', goodZip.slice(0, Math.floor(goodZip.length * 0.6)));

	// Zip bombs: one that states its ratio honestly, one that lies about its size, one that states a total of 4 GB.
	add('zip-bomb-ratio.zip', 'zip_bomb', zipOf({ ...courseEntries(good), 'media/bomb.bin': [new Uint8Array(20 * 1024 * 1024), { level: 9 }] }));
	{
		// The lesson's signed size and hash are honest; its data inflates to 8 MB instead.
		const lesson = 'lessons/intro.en.html';
		const real = good.files[lesson]!;
		const entries = courseEntries(good);
		entries[lesson] = [new Uint8Array(8 * 1024 * 1024).fill(0x3c), { level: 9 }];
		add('zip-bomb-lying-size.zip', 'zip_bomb', stateSize(zipOf(entries), (name) => (name === lesson ? real.length : undefined)));
	}
	{
		const entries = courseEntries(good);
		for (let i = 0; i < 4100; i++) entries[`media/pad-${i}.bin`] = [new Uint8Array(16), { level: 9 }];
		add('zip-bomb-total.zip', 'zip_bomb', stateSize(zipOf(entries), (name) => (name.startsWith('media/pad-') ? 1024 * 1024 : undefined)));
	}
	{
		const entries = courseEntries(good);
		for (let i = 0; i <= 20_000; i++) entries[`media/e${i}`] = new Uint8Array(0);
		add('too-many-entries.zip', 'too_many_files', zipOf(entries));
	}

	const withEntry = (name: string, bytes: Uint8Array) => rawZip([...Object.entries(courseEntries(good)).map(([n, b]) => [n, b as Uint8Array] as [string, Uint8Array]), [name, bytes]]);
	add('path-traversal.zip', 'unsafe_path', withEntry('../../evil.html', encode('<script>alert(1)</script>')));
	add('absolute-path.zip', 'unsafe_path', withEntry('/etc/evil.html', encode('<script>alert(1)</script>')));
	add('duplicate-entry.zip', 'duplicate_entry', withEntry(MANIFEST_FILE, encode(good.manifestText.replace('Sample', 'Evil'))));

	const without = (path: string) => Object.fromEntries(Object.entries(courseEntries(good)).filter(([name]) => name !== path)) as Zippable;
	add('missing-manifest.zip', 'missing_manifest', zipOf(without(MANIFEST_FILE)));
	add('unsigned.zip', 'unsigned', zipOf(without(SIGNATURE_FILE)));
	const signedText = async (text: string, by = keys) => ({ ...courseEntries(good), [MANIFEST_FILE]: encode(text), [SIGNATURE_FILE]: encode(await signManifest(encode(text), by.privateKey)) });
	add('manifest-not-json.zip', 'not_json', zipOf(await signedText('{"format": 1, "id": "sample-course",')));
	add('manifest-invalid.zip', 'invalid_manifest', zipOf(await signedText(JSON.stringify({ ...good.manifest, modules: [] }))));
	add('unknown-format.zip', 'unknown_format', zipOf(await signedText(JSON.stringify({ ...good.manifest, format: 2 }))));
	add('bad-signature.zip', 'bad_signature', zipOf({ ...courseEntries(good), [MANIFEST_FILE]: encode(good.manifestText.replace('"version":1', '"version":9')) }));
	add('unknown-publisher.zip', 'unknown_publisher', zipOf(courseEntries(await signedCourse(stranger, {}, { publisher: 'stranger-ministry' }))));
	add('signed-by-impostor.zip', 'bad_signature', zipOf(courseEntries(await signedCourse(stranger))));
	{
		const lesson = 'lessons/intro.en.html';
		const tampered = good.files[lesson]!.slice();
		tampered[tampered.length - 2] = tampered.at(-2)! ^ 0x20;
		add('hash-mismatch.zip', 'hash_mismatch', zipOf({ ...courseEntries(good), [lesson]: tampered }));
	}
	add('unexpected-file.zip', 'unexpected_file', zipOf({ ...courseEntries(good), 'lessons/extra.en.html': encode('<p>not in the manifest</p>') }));
	add('missing-file.zip', 'missing_file', zipOf(without('media/listen.en.ogg')));

	// District bundles: one bad course spoils the file (nothing of the good one is installed).
	const second = await signedCourse(keys, {}, { id: 'second-course' });
	const forged = { ...second, manifestText: second.manifestText.replace('"version":1', '"version":2') };
	add('district-one-bad-course.zip', 'bad_signature', districtOf([good, forged]));
	add('district-index-lies.zip', 'invalid_manifest', districtOf([good, second], { format: 1, createdAt: '2026-11-22T00:00:00.000Z', courses: [{ id: 'sample-course', version: 7, languages: ['en', 'hi'] }, { id: 'second-course', version: 1, languages: ['en', 'hi'] }] }));
	return cases;
}

/** Lesson text and an image that carry script: a signed, valid course, installed sanitised. */
export const HOSTILE_TEXTS: Record<string, string> = {
	'lessons/intro.en.html': [
		'<h2>Welcome</h2>',
		'<script>alert("script")</script>',
		'<p onclick="alert(\'handler\')">Tap here</p>',
		'<img src="media/stages.png" alt="Stages" onerror="alert(\'onerror\')">',
		'<p><a href="javascript:alert(\'link\')">A link</a></p>',
		'<iframe src="javascript:alert(\'frame\')"></iframe>',
		'<svg><script>alert("inline svg")</script></svg>',
		'<p>The end of the lesson.</p>'
	].join('\n'),
	'media/stages.png': '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(\'svg\')"><script>alert("svg script")</script><circle r="4"/></svg>'
};

export async function hostileContentBundle(keys: PublisherKeyPair): Promise<Uint8Array> {
	return zipOf(courseEntries(await signedCourse(keys, HOSTILE_TEXTS, { id: 'hostile-content' }, true)));
}
