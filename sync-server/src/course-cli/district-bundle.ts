/**
 * `npm run course -- district`: packs several courses into one district bundle for a coordinator.
 * Each input — a signed bundle, or a course folder built and signed on the spot — is verified
 * with the trusted keys before it is packed, so a coordinator never carries a file phones refuse.
 */
import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { writeBundle, type CourseToWrite } from '../../../src/lib/course-format/bundle-writer.js';
import { filesForLanguage } from '../../../src/lib/course-format/manifest.js';
import { BundleError, type TrustedPublishers } from '../../../src/lib/course-format/verify.js';
import { buildBundle } from './build-bundle.js';
import { readCourseSource } from './course-source.js';
import { openBundle, type OpenedBundle } from './open-bundle.js';

export interface DistrictInput {
	/** A bundle file or a course folder. */
	path: string;
}

export interface DistrictOptions {
	trusted: TrustedPublishers;
	/** The key to sign a folder with, by publisher (the CLI reads keys/<publisher>.key). */
	privateKeyFor: (publisher: string) => Promise<string>;
	/** Only these languages of each course (each course must offer one); all when empty. */
	languages: readonly string[];
}

async function openInput(path: string, options: DistrictOptions): Promise<OpenedBundle> {
	if ((await stat(path)).isDirectory()) {
		const { course } = await readCourseSource(path);
		const built = await buildBundle(path, { privateKey: await options.privateKeyFor(course.publisher) });
		return openBundle(built.zip, options.trusted);
	}
	return openBundle(new Uint8Array(await readFile(path)), options.trusted);
}

export async function writeDistrictBundle(out: string, inputs: readonly string[], options: DistrictOptions): Promise<OpenedBundle[]> {
	const opened: OpenedBundle[] = [];
	const courses: CourseToWrite[] = [];
	for (const input of inputs) {
		const bundle = await openInput(resolve(input), options);
		if (opened.some((o) => o.manifest.id === bundle.manifest.id)) throw new BundleError('duplicate_entry', `${bundle.manifest.id} is given twice`);
		const languages = options.languages.length > 0 ? bundle.languages.filter((l) => options.languages.includes(l)) : bundle.languages;
		if (languages.length === 0) throw new BundleError('missing_file', `${input} carries none of the languages ${options.languages.join(', ')}`);
		const paths = new Set(languages.flatMap((language) => filesForLanguage(bundle.manifest, language).map((f) => f.path)));
		opened.push(bundle);
		courses.push({
			manifestText: new TextDecoder().decode(bundle.manifestBytes),
			signature: bundle.signature,
			files: bundle.manifest.files.filter((f) => paths.has(f.path)).map((f) => ({ path: f.path, data: () => new Blob([bundle.files.get(f.path)! as Uint8Array<ArrayBuffer>]) }))
		});
	}
	await pipeline(Readable.fromWeb(writeBundle(courses, { district: true }) as NodeReadableStream<Uint8Array>), createWriteStream(resolve(out)));
	return opened;
}
