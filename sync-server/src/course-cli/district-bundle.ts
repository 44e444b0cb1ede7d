/**
 * `npm run course -- district`: packs several courses into one district bundle for a coordinator.
 * Each input — a signed bundle, a district bundle, or a course folder built and signed on the
 * spot — is opened with the trusted keys (manifest, signature, the files it holds) before anything
 * is written, and every file's SHA-256 is checked as it is copied across. The district file is
 * written beside its name and renamed into place only when every byte has been checked, so a
 * coordinator never carries a file phones refuse, not even half of one.
 *
 * Inputs are read by range and files copied one chunk at a time: packing gigabytes of audio
 * costs a few megabytes of memory.
 */
import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { openBundleFile, type CourseInBundle, type OpenedBundleFile } from '../../../src/lib/course-format/bundle-reader.js';
import { writeBundle, type CourseToWrite } from '../../../src/lib/course-format/bundle-writer.js';
import { DISTRICT_MAX_COURSES } from '../../../src/lib/course-format/district.js';
import { filesForLanguage, type FileEntry } from '../../../src/lib/course-format/manifest.js';
import type { TrustedPublishers } from '../../../src/lib/course-format/verify.js';
import { buildBundle } from './build-bundle.js';
import { readCourseSource } from './course-source.js';

export interface DistrictOptions {
	trusted: TrustedPublishers;
	/** The key to sign a folder with, by publisher (the CLI reads keys/<publisher>.key). */
	privateKeyFor: (publisher: string) => Promise<string>;
	/** Only these languages of each course (each course must offer one); all when empty. */
	languages: readonly string[];
}

/** A district the inputs cannot make: the same course twice, too many, or none of the languages asked for. */
export class DistrictError extends Error {
	override name = 'DistrictError';
}

/** One file of an opened bundle as a stream, read (and hashed) only as fast as it is taken. */
function fileStream(bundle: OpenedBundleFile, course: CourseInBundle, entry: FileEntry): ReadableStream<Uint8Array> {
	const stop = new AbortController();
	let taken: (() => void) | undefined;
	return new ReadableStream<Uint8Array>({
		start(controller) {
			const sink = async (chunk: Uint8Array) => {
				if (stop.signal.aborted) throw stop.signal.reason;
				controller.enqueue(chunk);
				while (!stop.signal.aborted && (controller.desiredSize ?? 0) <= 0) await new Promise<void>((resolve) => (taken = resolve));
			};
			// A hash mismatch, found at the file's end, fails the stream and so the whole district file.
			bundle.readFile(course, entry, sink, stop.signal).then(
				() => controller.close(),
				(error: unknown) => controller.error(error)
			);
		},
		pull() {
			taken?.();
		},
		cancel(reason) {
			stop.abort(reason);
			taken?.();
		}
	});
}

async function openInput(path: string, options: DistrictOptions, scratch: string): Promise<OpenedBundleFile> {
	if (!(await stat(path)).isDirectory()) return openBundleFile(await openAsBlob(path), options.trusted);
	const { course } = await readCourseSource(path);
	const built = await buildBundle(path, { privateKey: await options.privateKeyFor(course.publisher) });
	// On disk rather than in memory: the built course is read back by range like any bundle.
	const file = join(scratch, `${built.manifest.id}.zip`);
	await writeFile(file, built.zip);
	return openBundleFile(await openAsBlob(file), options.trusted);
}

/** The languages a course carries whole with these files. */
function languagesOf(course: CourseInBundle, files: readonly FileEntry[]): string[] {
	const carried = new Set(files.map((f) => f.path));
	return course.languages.filter((language) => filesForLanguage(course.manifest, language).every((f) => carried.has(f.path)));
}

export async function writeDistrictBundle(out: string, inputs: readonly string[], options: DistrictOptions): Promise<{ course: CourseInBundle; languages: string[] }[]> {
	const scratch = await mkdtemp(join(tmpdir(), 'sikho-district-'));
	const opened: OpenedBundleFile[] = [];
	const partial = join(dirname(resolve(out)), `.${basename(out)}.${process.pid}.part`);
	try {
		const packed: { bundle: OpenedBundleFile; course: CourseInBundle; files: FileEntry[] }[] = [];
		for (const input of inputs) {
			const bundle = await openInput(resolve(input), options, scratch);
			opened.push(bundle);
			for (const course of bundle.courses) {
				if (packed.some((p) => p.course.manifest.id === course.manifest.id)) throw new DistrictError(`${course.manifest.id} is given twice (${input})`);
				const languages = options.languages.length > 0 ? course.languages.filter((l) => options.languages.includes(l)) : course.languages;
				if (languages.length === 0) throw new DistrictError(`${course.manifest.id} (${input}) carries none of the languages ${options.languages.join(', ')}`);
				const paths = new Set(languages.flatMap((language) => filesForLanguage(course.manifest, language).map((f) => f.path)));
				packed.push({ bundle, course, files: course.files.filter((f) => paths.has(f.path)) });
			}
		}
		if (packed.length > DISTRICT_MAX_COURSES) throw new DistrictError(`at most ${DISTRICT_MAX_COURSES} courses in one district bundle; these inputs hold ${packed.length}`);

		const courses: CourseToWrite[] = packed.map(({ bundle, course, files }) => ({
			manifestText: course.manifestText,
			signature: course.signature,
			files: files.map((entry) => ({ path: entry.path, size: entry.size, data: () => fileStream(bundle, course, entry) }))
		}));
		await pipeline(Readable.fromWeb(writeBundle(courses, { district: true }) as NodeReadableStream<Uint8Array>), createWriteStream(partial));
		await rename(partial, resolve(out));
		return packed.map(({ course, files }) => ({ course, languages: languagesOf(course, files) }));
	} finally {
		await rm(partial, { force: true });
		await Promise.all(opened.map((bundle) => bundle.close()));
		await rm(scratch, { recursive: true, force: true });
	}
}
