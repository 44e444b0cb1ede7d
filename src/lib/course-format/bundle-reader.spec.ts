import { beforeAll, describe, expect, it } from 'vitest';
import { courseEntries, districtOf, hostileBundles, signedCourse, zipOf, type HostileCase } from '../../../tests/support/hostile-bundles';
import { openBundleFile } from './bundle-reader';
import { generatePublisherKeys, type PublisherKeyPair } from './signature';
import { BundleError } from './verify';
import { sha256Hex } from './bytes';
import { BUNDLE_LIMITS } from './bundle-limits';

let keys: PublisherKeyPair;
let corpus: HostileCase[];
const trusted = () => ({ 'test-publisher': keys.publicKey });

beforeAll(async () => {
	keys = await generatePublisherKeys();
	corpus = await hostileBundles(keys, await generatePublisherKeys());
}, 60_000);

/** Opens a bundle and reads every file of every course, as an import does. */
async function readAll(bytes: Uint8Array, limits = BUNDLE_LIMITS) {
	const bundle = await openBundleFile(new Blob([bytes as BlobPart]), trusted(), limits);
	const read = new Map<string, string>();
	for (const course of bundle.courses) {
		for (const entry of course.files) {
			const chunks: Uint8Array[] = [];
			await bundle.readFile(course, entry, (chunk) => void chunks.push(chunk));
			read.set(course.folder + entry.path, await sha256Hex(new Uint8Array(await new Blob(chunks as BlobPart[]).arrayBuffer())));
		}
	}
	await bundle.close();
	return { bundle, read };
}

describe('openBundleFile', () => {
	it('opens a signed course and streams every file, each matching its signed SHA-256', async () => {
		const course = await signedCourse(keys);
		const { bundle, read } = await readAll(zipOf(courseEntries(course)));
		// Large files are hashed chunk by chunk: the same result.
		expect((await readAll(zipOf(courseEntries(course)), { ...BUNDLE_LIMITS, wholeFileHashBytes: 0 })).read).toEqual(read);
		expect(bundle.kind).toBe('course');
		expect(bundle.courses.map((c) => [c.manifest.id, c.languages])).toEqual([['sample-course', ['en', 'hi']]]);
		expect(bundle.bytesTotal).toBe(course.manifest.files.reduce((n, f) => n + f.size, 0));
		expect(read).toEqual(new Map(course.manifest.files.map((f) => [f.path, f.sha256])));
	});

	it('opens a district bundle of several courses, each verified on its own', async () => {
		const first = await signedCourse(keys);
		const second = await signedCourse(keys, {}, { id: 'second-course', version: 3 });
		const { bundle, read } = await readAll(districtOf([first, second]));
		expect(bundle.kind).toBe('district');
		expect(bundle.courses.map((c) => [c.folder, c.manifest.id, c.manifest.version])).toEqual([
			['courses/sample-course/', 'sample-course', 1],
			['courses/second-course/', 'second-course', 3]
		]);
		expect(read.size).toBe(first.manifest.files.length + second.manifest.files.length);
	});

	it('accepts a bundle that carries one language whole', async () => {
		const course = await signedCourse(keys);
		const hindi = Object.fromEntries(Object.entries(courseEntries(course)).filter(([name]) => !name.includes('.en.')));
		const { bundle } = await readAll(zipOf(hindi));
		expect(bundle.courses[0]!.languages).toEqual(['hi']);
	});

	it('refuses every case of the hostile corpus with its own reason, files hashed whole or chunk by chunk', async () => {
		expect(corpus.length).toBeGreaterThanOrEqual(20);
		for (const [hostile, limits] of corpus.flatMap((c) => [[c, BUNDLE_LIMITS] as const, [c, { ...BUNDLE_LIMITS, wholeFileHashBytes: 0 }] as const])) {
			const outcome = await readAll(hostile.bytes, limits).then(
				() => 'accepted',
				(error: unknown) => (error instanceof BundleError ? error.code : `threw ${String(error)}`)
			);
			expect({ file: hostile.name, outcome }).toEqual({ file: hostile.name, outcome: hostile.refusal });
		}
	}, 60_000);

	it('judges a zip bomb by its central directory, before inflating it', async () => {
		const bomb = corpus.find((c) => c.name === 'zip-bomb-total.zip')!;
		// Claims over 4 GB in a file of a few hundred KB; refused without reading entry data.
		expect(bomb.bytes.length).toBeLessThan(2 * 1024 * 1024);
		await expect(openBundleFile(new Blob([bomb.bytes as BlobPart]), trusted())).rejects.toMatchObject({ code: 'zip_bomb' });
	});
});
