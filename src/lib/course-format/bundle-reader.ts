/**
 * Opens a bundle file (one course, or a district bundle of several) the way untrusted input must
 * be opened: the zip's central directory first, so its entry count, paths, duplicates and stated
 * sizes are judged before a byte is inflated; then every course's manifest and signature; then a
 * check that the files present are exactly what each signed manifest lists, at the sizes it gives.
 * Only after all of that may a caller read file contents, one file at a time as a stream, each cut
 * off the moment it grows past its signed size and checked against its signed SHA-256.
 *
 * The file is read by range (Blob.slice), never whole: a 100 MB bundle from a USB stick costs a few
 * chunks of memory. Isomorphic: a File in the browser, `fs.openAsBlob` or a Blob in Node.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { ZipReader, type Entry, type FileEntry as ZipFileEntry } from '@zip.js/zip.js/lib/zip-core-reader.js';
import { BUNDLE_LIMITS, type BundleLimits } from './bundle-limits.js';
import { sha256Hex } from './bytes.js';
import { DISTRICT_FILE, districtFolder, districtIndexSchema, type DistrictIndex } from './district.js';
import { bundlePathSchema, MANIFEST_FILE, SIGNATURE_FILE, type FileEntry, type Manifest } from './manifest.js';
import { BundleError, checkBundleContents, verifySignedManifest, type TrustedPublishers } from './verify.js';

export interface CourseInBundle {
	/** Where the course's files sit in the zip: '' for a single course, `courses/<id>/` in a district bundle. */
	folder: string;
	manifest: Manifest;
	/** The manifest exactly as signed. */
	manifestText: string;
	signature: string;
	/** The course's languages this bundle carries whole. */
	languages: string[];
	/** The files this bundle carries, in the order they sit in the zip (reading them in order is fastest). */
	files: FileEntry[];
	/** Their bytes, inflated. */
	bytes: number;
}

export interface OpenedBundleFile {
	kind: 'course' | 'district';
	courses: CourseInBundle[];
	/** Bytes of every course file, inflated: what reading them all will deliver. */
	bytesTotal: number;
	/**
	 * Streams one file's bytes into `sink` as they inflate. Throws `hash_mismatch` once it is longer
	 * than its signed size, or when it ends at the wrong size or with the wrong SHA-256 — so a caller
	 * that stores chunks as they come must be ready to drop them.
	 */
	readFile(course: CourseInBundle, entry: FileEntry, sink: (chunk: Uint8Array) => void | Promise<void>, signal?: AbortSignal): Promise<void>;
	close(): Promise<void>;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const MAX_SIGNATURE_BYTES = 1024;
// zip.js's messages for the ways a zip can be unsafe or broken (its exported constants are the same strings).
const UNSAFE_FILENAME = 'Unsafe filename';
const DUPLICATE_FILENAME = 'duplicate filename';
const ENCRYPTED = 'File contains encrypted entry';
const INVALID_SIZE = 'Invalid uncompressed size';

/** Random access to a Blob, in the shape zip.js reads from. */
function rangeReader(blob: Blob) {
	return {
		size: blob.size,
		readable: blob.stream(),
		async init() {},
		async readUint8Array(offset: number, length: number) {
			return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
		},
		createReadable({ offset = 0, size = blob.size - offset }: { offset?: number; size?: number } = {}) {
			return blob.slice(offset, offset + size).stream();
		}
	};
}

/** A path no archive tool should write and no reader should follow. */
function isUnsafePath(path: string): boolean {
	return /^[/\\]|^[a-z]:|\\|(^|\/)\.\.?(\/|$)|\0/i.test(path);
}

async function readEntries(reader: ZipReader<unknown>, limits: BundleLimits): Promise<Map<string, ZipFileEntry>> {
	const files = new Map<string, ZipFileEntry>();
	let count = 0;
	let total = 0;
	try {
		for await (const entry of reader.getEntriesGenerator({ filenameValidation: 'strict' }) as AsyncGenerator<Entry, boolean>) {
			if (++count > limits.maxEntries) throw new BundleError('too_many_files', `the bundle holds more than ${limits.maxEntries} entries`);
			if (isUnsafePath(entry.filename) || entry.symlink) throw new BundleError('unsafe_path', `"${entry.filename}" points outside the bundle`);
			if (entry.encrypted) throw new BundleError('damaged_zip', 'the bundle is encrypted');
			if (entry.directory) continue;
			if (files.has(entry.filename)) throw new BundleError('duplicate_entry', `"${entry.filename}" is in the bundle twice`);
			const size = entry.uncompressedSize;
			if (size > limits.ratioFloorBytes && size > entry.compressedSize * limits.maxRatio) {
				throw new BundleError('zip_bomb', `"${entry.filename}" would inflate ${Math.round(size / Math.max(entry.compressedSize, 1))} times`);
			}
			total += size;
			if (total > limits.maxTotalBytes) throw new BundleError('zip_bomb', 'the bundle would inflate to more than this app allows');
			files.set(entry.filename, entry);
		}
	} catch (error) {
		if (error instanceof BundleError) throw error;
		const message = error instanceof Error ? error.message : String(error);
		if (message === UNSAFE_FILENAME) throw new BundleError('unsafe_path', 'a path in the bundle points outside it');
		if (reader.warnings?.some((warning) => warning.reason === DUPLICATE_FILENAME)) throw new BundleError('duplicate_entry', 'a file is in the bundle twice');
		if (message === ENCRYPTED) throw new BundleError('damaged_zip', 'the bundle is encrypted');
		throw new BundleError('damaged_zip', `the bundle is damaged or cut short (${message})`);
	}
	return files;
}

/**
 * Streams an entry's inflated bytes, never more than `size` of them: a file that inflates past
 * what was stated is cut off there (a zip bomb that lies in its central directory).
 */
async function streamEntry(entry: ZipFileEntry, size: number, onChunk: (chunk: Uint8Array) => void | Promise<void>, signal?: AbortSignal): Promise<number> {
	let received = 0;
	let refusal: BundleError | undefined;
	const writable = new WritableStream<Uint8Array>({
		async write(chunk) {
			received += chunk.length;
			if (received > size) {
				refusal = new BundleError('zip_bomb', `${entry.filename} inflates past the size the bundle states`);
				throw refusal;
			}
			await onChunk(chunk);
		}
	});
	try {
		await entry.getData(writable, { signal, useWebWorkers: false, checkSignature: false });
	} catch (error) {
		if (refusal) throw refusal;
		if (error instanceof BundleError) throw error;
		signal?.throwIfAborted();
		// zip.js stops an entry itself the moment it inflates past its stated size (or ends short of it).
		if (error instanceof Error && error.message === INVALID_SIZE) {
			throw new BundleError('zip_bomb', `${entry.filename} does not inflate to the size the bundle states`);
		}
		throw new BundleError('damaged_zip', `${entry.filename} cannot be read: the bundle is damaged (${error instanceof Error ? error.message : String(error)})`);
	}
	return received;
}

async function readSmall(entry: ZipFileEntry, max: number, what: string): Promise<Uint8Array> {
	if (entry.uncompressedSize > max) throw new BundleError('zip_bomb', `${what} is larger than ${max} bytes`);
	const bytes = new Uint8Array(entry.uncompressedSize);
	let at = 0;
	await streamEntry(entry, entry.uncompressedSize, (chunk) => {
		bytes.set(chunk, at);
		at += chunk.length;
	});
	if (at !== entry.uncompressedSize) throw new BundleError('damaged_zip', `${what} ends early: the bundle is damaged`);
	return bytes;
}

async function readDistrictIndex(entry: ZipFileEntry, limits: BundleLimits): Promise<DistrictIndex> {
	let json: unknown;
	try {
		json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await readSmall(entry, limits.maxIndexBytes, DISTRICT_FILE)));
	} catch (error) {
		if (error instanceof BundleError) throw error;
		throw new BundleError('not_json', `${DISTRICT_FILE} is not valid JSON`);
	}
	const format = (json as { format?: unknown } | null)?.format;
	if (typeof format === 'number' && format !== 1) throw new BundleError('unknown_format', `district bundle format ${format} is newer than this app reads: update Sikho`);
	const parsed = districtIndexSchema.safeParse(json);
	if (!parsed.success) throw new BundleError('invalid_manifest', `${DISTRICT_FILE}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
	return parsed.data;
}

async function openCourse(entries: ReadonlyMap<string, ZipFileEntry>, folder: string, trusted: TrustedPublishers, limits: BundleLimits): Promise<CourseInBundle> {
	const where = folder ? ` in ${folder}` : '';
	const manifestEntry = entries.get(folder + MANIFEST_FILE);
	if (!manifestEntry) throw new BundleError('missing_manifest', `there is no ${MANIFEST_FILE}${where}: this is not a Sikho course bundle`);
	const signatureEntry = entries.get(folder + SIGNATURE_FILE);
	if (!signatureEntry) throw new BundleError('unsigned', `there is no ${SIGNATURE_FILE}${where}: the course is not signed`);
	const manifestBytes = await readSmall(manifestEntry, limits.maxIndexBytes, MANIFEST_FILE);
	const signature = new TextDecoder().decode(await readSmall(signatureEntry, MAX_SIGNATURE_BYTES, SIGNATURE_FILE)).trim();
	const manifest = await verifySignedManifest(manifestBytes, signature, trusted);

	const paths = new Set<string>();
	for (const name of entries.keys()) {
		if (!name.startsWith(folder) || name === folder + MANIFEST_FILE || name === folder + SIGNATURE_FILE) continue;
		const path = name.slice(folder.length);
		if (!bundlePathSchema.safeParse(path).success) throw new BundleError('unexpected_file', `${name} is not a file a course can hold`);
		paths.add(path);
	}
	const languages = checkBundleContents(manifest, paths);
	const files = manifest.files.filter((file) => paths.has(file.path));
	for (const file of files) {
		// A size that differs from the signed one is a tampered file, known before it is inflated.
		if (entries.get(folder + file.path)!.uncompressedSize !== file.size) {
			throw new BundleError('hash_mismatch', `${file.path} does not match its size in the manifest`);
		}
	}
	files.sort((a, b) => entries.get(folder + a.path)!.offset - entries.get(folder + b.path)!.offset);
	return {
		folder,
		manifest,
		manifestText: new TextDecoder().decode(manifestBytes),
		signature,
		languages,
		files,
		bytes: files.reduce((n, f) => n + f.size, 0)
	};
}

type Sink = (chunk: Uint8Array) => void | Promise<void>;

async function readHashingWhole(zipEntry: ZipFileEntry, entry: FileEntry, sink: Sink, signal?: AbortSignal) {
	const bytes = new Uint8Array(entry.size);
	let at = 0;
	await streamEntry(
		zipEntry,
		entry.size,
		async (chunk) => {
			bytes.set(chunk, at);
			at += chunk.length;
			await sink(chunk);
		},
		signal
	);
	return { size: at, sha256: await sha256Hex(at === bytes.length ? bytes : bytes.subarray(0, at)) };
}

async function readHashingIncrementally(zipEntry: ZipFileEntry, entry: FileEntry, sink: Sink, signal?: AbortSignal) {
	const hash = sha256.create();
	let size = 0;
	await streamEntry(
		zipEntry,
		entry.size,
		async (chunk) => {
			hash.update(chunk);
			size += chunk.length;
			await sink(chunk);
		},
		signal
	);
	return { size, sha256: bytesToHex(hash.digest()) };
}

async function isZip(source: Blob): Promise<boolean> {
	const head = new Uint8Array(await source.slice(0, 4).arrayBuffer());
	return ZIP_MAGIC.every((byte, i) => head[i] === byte);
}

export async function openBundleFile(source: Blob, trusted: TrustedPublishers, limits: BundleLimits = BUNDLE_LIMITS): Promise<OpenedBundleFile> {
	if (!(await isZip(source))) throw new BundleError('not_zip', 'this file is not a course bundle (not a zip file)');
	const reader = new ZipReader(rangeReader(source), { useWebWorkers: false, strictness: 'strict' });
	try {
		const entries = await readEntries(reader, limits);
		let courses: CourseInBundle[];
		let kind: OpenedBundleFile['kind'];
		const indexEntry = entries.get(DISTRICT_FILE);
		if (indexEntry) {
			kind = 'district';
			const index = await readDistrictIndex(indexEntry, limits);
			const folders = index.courses.map((listed) => districtFolder(listed.id));
			for (const name of entries.keys()) {
				if (name !== DISTRICT_FILE && !folders.some((folder) => name.startsWith(folder))) {
					throw new BundleError('unexpected_file', `${name} is in the district bundle but not in ${DISTRICT_FILE}`);
				}
			}
			courses = [];
			for (const [i, listed] of index.courses.entries()) {
				const course = await openCourse(entries, folders[i]!, trusted, limits);
				const same = course.manifest.id === listed.id && course.manifest.version === listed.version && [...listed.languages].sort().join() === [...course.languages].sort().join();
				if (!same) throw new BundleError('invalid_manifest', `${DISTRICT_FILE} does not describe the course in ${folders[i]}`);
				courses.push(course);
			}
		} else {
			kind = 'course';
			courses = [await openCourse(entries, '', trusted, limits)];
		}

		return {
			kind,
			courses,
			bytesTotal: courses.reduce((n, c) => n + c.bytes, 0),
			async readFile(course, entry, sink, signal) {
				const zipEntry = entries.get(course.folder + entry.path);
				if (!zipEntry || !course.files.includes(entry)) throw new BundleError('missing_file', `${entry.path} is not in this bundle`);
				const read = entry.size <= limits.wholeFileHashBytes ? await readHashingWhole(zipEntry, entry, sink, signal) : await readHashingIncrementally(zipEntry, entry, sink, signal);
				if (read.size !== entry.size || read.sha256 !== entry.sha256) {
					throw new BundleError('hash_mismatch', `${entry.path} does not match its SHA-256 in the manifest`);
				}
			},
			close: () => reader.close()
		};
	} catch (error) {
		await reader.close();
		throw error;
	}
}
