/**
 * A 100 MB course bundle for the import benchmark, written to disk as it is made (never whole in
 * memory): 40 audio lessons of 2.5 MB (random bytes, stored as a real bundle stores audio) with a
 * transcript each (deflated text), signed by a publisher key made for the run.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { BUNDLE_FORMAT_VERSION, MANIFEST_FILE, SIGNATURE_FILE, type Manifest } from '../src/lib/course-format/manifest';
import { generatePublisherKeys, signManifest } from '../src/lib/course-format/signature';

export const LARGE_COURSE_ID = 'hundred-megabytes';
export const LARGE_PUBLISHER = 'sikho-bench';
const LESSONS = 40;
const AUDIO_BYTES = 2.5 * 1024 * 1024;

export interface LargeBundle {
	path: string;
	bytes: number;
	publicKey: string;
}

export async function writeLargeBundle(): Promise<LargeBundle> {
	const keys = await generatePublisherKeys();
	const transcript = (n: number) =>
		Buffer.from(`<h2>Lesson ${n}</h2>\n` + '<p>Value for money means the best result over the life of the contract, not the lowest price.</p>\n'.repeat(200));
	// Random bytes from one seed per lesson, made twice (once to hash, once to write) rather than kept.
	const seed = randomBytes(32);
	const audios = Array.from({ length: LESSONS }, (_, i) => () => randomAudio(seed, i + 1));
	const files: Manifest['files'] = [];
	const lessons: Manifest['modules'][number]['lessons'] = [];
	for (let n = 1; n <= LESSONS; n++) {
		const audioPath = `media/lesson-${n}.en.ogg`;
		const textPath = `lessons/lesson-${n}.en.html`;
		const sound = audios[n - 1]!();
		files.push({ path: audioPath, size: sound.length, sha256: createHash('sha256').update(sound).digest('hex') });
		const text = transcript(n);
		files.push({ path: textPath, size: text.length, sha256: createHash('sha256').update(text).digest('hex') });
		lessons.push({ id: `lesson-${n}`, kind: 'audio', minutes: 5, title: { en: `Lesson ${n}` }, content: { en: { audio: audioPath, transcript: textPath, media: [] } } });
	}
	const manifest: Manifest = {
		format: BUNDLE_FORMAT_VERSION,
		id: LARGE_COURSE_ID,
		version: 1,
		publisher: LARGE_PUBLISHER,
		licence: 'CC-BY-4.0',
		languages: ['en'],
		title: { en: 'One hundred megabytes' },
		description: { en: 'A large course for the import benchmark' },
		passMark: 70,
		modules: [{ id: 'listening', title: { en: 'Listening' }, lessons }],
		files,
		createdAt: '2026-11-22T00:00:00.000Z'
	};
	const manifestBytes = Buffer.from(JSON.stringify(manifest));
	const signature = await signManifest(manifestBytes, keys.privateKey);

	const path = join(await mkdtemp(join(tmpdir(), 'sikho-large-')), `${LARGE_COURSE_ID}.zip`);
	const out = createWriteStream(path);
	let bytes = 0;
	const done = new Promise<void>((resolve, reject) => {
		out.on('finish', resolve);
		out.on('error', reject);
	});
	const zip = new Zip((error, chunk, final) => {
		if (error) throw error;
		bytes += chunk.length;
		out.write(chunk);
		if (final) out.end();
	});
	const add = (name: string, data: Uint8Array, compress: boolean) => {
		const file = compress ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name);
		zip.add(file);
		file.push(data, true);
	};
	add(MANIFEST_FILE, manifestBytes, true);
	add(SIGNATURE_FILE, Buffer.from(signature), false);
	for (let n = 1; n <= LESSONS; n++) {
		add(`media/lesson-${n}.en.ogg`, audios[n - 1]!(), false);
		add(`lessons/lesson-${n}.en.html`, transcript(n), true);
	}
	zip.end();
	await done;
	return { path, bytes, publicKey: keys.publicKey };
}

/** 2.5 MB of incompressible bytes, the same every time for the same seed (AES-CTR over zeros). */
function randomAudio(seed: Buffer, n: number): Buffer {
	const iv = Buffer.alloc(16);
	iv.writeUInt32BE(n);
	return createCipheriv('aes-256-ctr', seed, iv).update(Buffer.alloc(AUDIO_BYTES));
}
