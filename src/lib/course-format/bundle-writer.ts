/**
 * Writes bundle files as a stream (fflate's streaming zip): a course shared from a phone, a
 * bundle or district bundle sent by the server, one packed by the CLI. The stream is pulled: a
 * file is opened only when the zip reaches it, and each chunk of it is read only when the reader
 * of the stream has taken what came before, so a large course is never in memory whole — not
 * even one large audio file of it.
 * The same input always gives the same bytes (a fixed time inside the zip, the same on every
 * machine). Isomorphic: the browser and Node both have web streams and Blobs.
 *
 * Layout (docs/course-bundle.md): manifest.json first, so a reader that streams the file from its
 * start meets what it must check before the files; a district bundle puts district.json first.
 */
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { DISTRICT_FILE, districtFolder, type DistrictIndex } from './district.js';
import { BUNDLE_FORMAT_VERSION, filesForLanguage, MANIFEST_FILE, SIGNATURE_FILE, type Manifest } from './manifest.js';

/** A file's bytes: a Blob (IndexedDB, `fs.openAsBlob`) or a stream (bytes read from another bundle). */
export type FileBytes = Blob | ReadableStream<Uint8Array>;

export interface FileToWrite {
	/** The path the signed manifest gives it. */
	path: string;
	/** Its signed size, when known: a source that gives other than this many bytes fails the stream. */
	size?: number;
	/** Called when the zip reaches this file, not before. */
	data: () => FileBytes | Promise<FileBytes>;
}

export interface CourseToWrite {
	/** The manifest exactly as signed. */
	manifestText: string;
	signature: string;
	/** The files to carry (every file of the languages carried), with their signed bytes, in the order to write them. */
	files: readonly FileToWrite[];
}

/** Text is deflated; media (already compressed) is stored as it is, as the course CLI's build does. */
const COMPRESSIBLE = /\.(html|json|svg|txt)$/;

/** How far the zip may run ahead of its reader. */
const READ_AHEAD_BYTES = 256 * 1024;

/**
 * What a district bundle made of these courses says it holds: each course's id, version and the
 * languages its files cover whole; dated by its newest course, so the same courses give the same index.
 */
export function makeDistrictIndex(courses: readonly CourseToWrite[]): DistrictIndex {
	const manifests = courses.map((course) => JSON.parse(course.manifestText) as Manifest);
	return {
		format: BUNDLE_FORMAT_VERSION,
		createdAt: newestCreatedAt(manifests),
		courses: courses.map((course, i) => ({ id: manifests[i]!.id, version: manifests[i]!.version, languages: languagesCarried(manifests[i]!, course) }))
	};
}

/** One course at the root, or several under `courses/<id>/` with a `district.json` that lists them. */
export function writeBundle(courses: readonly CourseToWrite[], options: { district?: boolean } = {}): ReadableStream<Uint8Array> {
	const district = options.district ?? courses.length > 1;
	if (courses.length === 0 || (!district && courses.length > 1)) throw new Error('a bundle holds one course; a district bundle one or more');
	const manifests = courses.map((c) => JSON.parse(c.manifestText) as Manifest);
	const mtime = zipTime(newestCreatedAt(manifests));
	const encoder = new TextEncoder();

	let zip: Zip;
	let controller: ReadableStreamDefaultController<Uint8Array>;
	const add = (name: string, compress: boolean) => {
		const file = compress ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name);
		file.mtime = mtime;
		zip.add(file);
		return file;
	};
	const addText = (name: string, text: string) => add(name, true).push(encoder.encode(text), true);

	// One step per pull: a whole small entry, or one chunk of a file. The stream pulls again only
	// while less than READ_AHEAD_BYTES wait to be read, which is all the memory the zip holds.
	async function* steps(): AsyncGenerator<void> {
		if (district) addText(DISTRICT_FILE, JSON.stringify(makeDistrictIndex(courses)));
		for (const [i, course] of courses.entries()) {
			const folder = district ? districtFolder(manifests[i]!.id) : '';
			addText(folder + MANIFEST_FILE, course.manifestText);
			addText(folder + SIGNATURE_FILE, course.signature);
			yield;
			for (const file of course.files) {
				const entry = add(folder + file.path, COMPRESSIBLE.test(file.path));
				const source = await file.data();
				const reader = ('getReader' in source ? source : source.stream()).getReader();
				let written = 0;
				try {
					for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
						written += chunk.value.length;
						if (file.size !== undefined && written > file.size) throw new Error(`${file.path} is longer than its ${file.size} bytes`);
						entry.push(chunk.value);
						yield;
					}
				} finally {
					// Cancelled or failed half way: let the source go (a file handle in Node).
					await reader.cancel().catch(() => undefined);
				}
				if (file.size !== undefined && written !== file.size) throw new Error(`${file.path} has ${written} bytes, not its ${file.size}`);
				entry.push(new Uint8Array(0), true);
			}
		}
		zip.end();
	}
	const work = steps();
	return new ReadableStream<Uint8Array>(
		{
			start(c) {
				controller = c;
				zip = new Zip((error, chunk, final) => {
					if (error) return controller.error(error);
					if (chunk.length > 0) controller.enqueue(chunk);
					if (final) controller.close();
				});
			},
			async pull() {
				await work.next();
			},
			async cancel() {
				await work.return(undefined);
			}
		},
		{ highWaterMark: READ_AHEAD_BYTES, size: (chunk) => chunk.byteLength }
	);
}

function newestCreatedAt(manifests: readonly Manifest[]): string {
	return new Date(manifests.map((m) => m.createdAt).sort().at(-1)!).toISOString();
}

/**
 * The Date to give fflate for an entry's time. A zip stores times without a zone, and fflate reads
 * them from a Date in the machine's local zone: the same bundle built in Delhi and in a UTC
 * container would differ. So the zip gets the UTC time — a Date whose local fields are the UTC
 * ones — within the years a zip can hold.
 */
export function zipTime(iso: string): Date {
	const utc = new Date(Math.min(Math.max(Date.parse(iso), Date.UTC(1980, 0, 1)), Date.UTC(2099, 11, 31, 23, 59, 58)));
	return new Date(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds());
}

/** The languages a course's files cover whole (what a reader will find in it). */
function languagesCarried(manifest: Manifest, course: CourseToWrite): string[] {
	const carried = new Set(course.files.map((f) => f.path));
	return manifest.languages.filter((language) => filesForLanguage(manifest, language).every((f) => carried.has(f.path)));
}
