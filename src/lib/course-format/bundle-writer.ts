/**
 * Writes bundle files as a stream (fflate's streaming zip): a course shared from a phone, a
 * bundle or district bundle sent by the server, one packed by the CLI. Files are read one at a
 * time, as the reader of the stream asks for more, so a large course is never in memory whole.
 * The same input always gives the same bytes (a fixed time inside the zip).
 * Isomorphic: the browser and Node both have web streams and Blobs.
 */
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { DISTRICT_FILE, districtFolder, type DistrictIndex } from './district.js';
import { BUNDLE_FORMAT_VERSION, filesForLanguage, MANIFEST_FILE, SIGNATURE_FILE, type Manifest } from './manifest.js';

export interface CourseToWrite {
	/** The manifest exactly as signed. */
	manifestText: string;
	signature: string;
	/** The files to carry (every file of the languages carried), with their signed bytes. */
	files: { path: string; data: () => Blob | Promise<Blob> }[];
}

const COMPRESSIBLE = /\.(html|json|svg|txt)$/;

/** One course at the root, or several under `courses/<id>/` with a `district.json` that lists them. */
export function writeBundle(courses: readonly CourseToWrite[], options: { district?: boolean } = {}): ReadableStream<Uint8Array> {
	const district = options.district ?? courses.length > 1;
	if (courses.length === 0 || (!district && courses.length > 1)) throw new Error('a bundle holds one course; a district bundle one or more');
	const manifests = courses.map((c) => JSON.parse(c.manifestText) as Manifest);
	const mtime = new Date(manifests.map((m) => m.createdAt).sort().at(-1)!);

	let zip: Zip;
	let controller: ReadableStreamDefaultController<Uint8Array>;
	const add = (name: string, compress: boolean) => {
		const file = compress ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name);
		file.mtime = mtime;
		zip.add(file);
		return file;
	};
	const addBytes = (name: string, bytes: Uint8Array) => add(name, true).push(bytes, true);
	// Each pull writes one file: the consumer's pace sets how much is read.
	async function* steps(): AsyncGenerator<void> {
		const encoder = new TextEncoder();
		if (district) {
			const index: DistrictIndex = {
				format: BUNDLE_FORMAT_VERSION,
				createdAt: mtime.toISOString(),
				courses: courses.map((course, i) => ({ id: manifests[i]!.id, version: manifests[i]!.version, languages: languagesCarried(manifests[i]!, course) }))
			};
			addBytes(DISTRICT_FILE, encoder.encode(JSON.stringify(index)));
		}
		for (const [i, course] of courses.entries()) {
			const folder = district ? districtFolder(manifests[i]!.id) : '';
			addBytes(folder + MANIFEST_FILE, encoder.encode(course.manifestText));
			addBytes(folder + SIGNATURE_FILE, encoder.encode(course.signature));
			for (const file of course.files) {
				const entry = add(folder + file.path, COMPRESSIBLE.test(file.path));
				const reader = (await file.data()).stream().getReader();
				for (let chunk = await reader.read(); ; chunk = await reader.read()) {
					if (chunk.done) {
						entry.push(new Uint8Array(0), true);
						break;
					}
					entry.push(chunk.value);
				}
				yield;
			}
		}
		zip.end();
	}
	const work = steps();
	return new ReadableStream<Uint8Array>({
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
	});
}

/** The languages a course's files cover whole (what a reader will find in it). */
function languagesCarried(manifest: Manifest, course: CourseToWrite): string[] {
	const carried = new Set(course.files.map((f) => f.path));
	return manifest.languages.filter((language) => filesForLanguage(manifest, language).every((f) => carried.has(f.path)));
}
