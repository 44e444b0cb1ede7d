/**
 * Installs courses from a bundle file — from a coordinator's USB stick, another phone, or a
 * district bundle of many courses — with no network. The file is untrusted: it is opened and
 * every course in it verified (signature, contents, sizes) before anything is stored, then its
 * files are read one at a time as a stream, each checked against its signed SHA-256 as it is
 * stored. The courses switch to their new versions together in one transaction at the end; a
 * refusal at any point removes what this import stored, so a bad file changes nothing.
 *
 * An imported course is the same course as a downloaded one: same record, same files by SHA-256,
 * same progress keys. Older than the phone's is refused; the same again changes nothing; newer
 * upgrades it, as a download would.
 */
import { openBundleFile, type CourseInBundle, type OpenedBundleFile } from '$lib/course-format/bundle-reader';
import type { FileEntry, LocalizedText } from '$lib/course-format/manifest';
import { filesForLanguage } from '$lib/course-format/manifest-paths';
import { contentTypeFor } from '$lib/course-format/media-types';
import { BundleError, type BundleProblem } from '$lib/course-format/verify';
import type { ContentDb, InstalledCourse } from './content-db';
import { storedFile, type Sanitize } from './stored-file';
import { trustedPublishers } from './trusted-publishers';
import { removeUnusedFiles } from './unused-files';

export type ImportProblem = BundleProblem | 'older_version' | 'no_space';

export class ImportError extends Error {
	override name = 'ImportError';
	constructor(
		readonly code: ImportProblem,
		message: string,
		/** The course the problem is in, when the file holds several. */
		readonly courseId?: string
	) {
		super(message);
	}
}

export type ImportOutcome = 'installed' | 'upgraded' | 'added_languages' | 'unchanged' | 'newer_on_phone';

export interface ImportedCourse {
	id: string;
	version: number;
	title: LocalizedText;
	/** The languages the bundle carried. */
	languages: string[];
	outcome: ImportOutcome;
}

export interface ImportProgress {
	/** Bytes of course files read and checked so far. */
	bytesDone: number;
	bytesTotal: number;
}

export interface ImportOptions {
	db: ContentDb;
	file: Blob;
	sanitize?: Sanitize;
	onProgress?: (progress: ImportProgress) => void;
	signal?: AbortSignal;
	/** Free space on the phone in bytes (default: the browser's storage estimate). */
	freeSpace?: () => Promise<number | undefined>;
}

/** Memory held for a file before its bytes are moved into a Blob (the browser keeps those on disk). */
const FLUSH_BYTES = 4 * 1024 * 1024;
/** An import job this old was left by a closed tab: its files are no longer protected. */
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

interface Plan {
	course: CourseInBundle;
	installed: InstalledCourse | undefined;
	outcome: ImportOutcome;
	/** The languages the course will have on the phone afterwards. */
	languages: string[];
	/** Files to read from the bundle. */
	files: FileEntry[];
}

function plan(course: CourseInBundle, installed: InstalledCourse | undefined, single: boolean): Plan {
	const { manifest } = course;
	const keep = (outcome: ImportOutcome): Plan => ({ course, installed, outcome, languages: installed?.languages ?? [], files: [] });
	if (installed && installed.version > manifest.version) {
		if (single) throw new ImportError('older_version', `this phone has version ${installed.version} of ${manifest.id}; the file holds version ${manifest.version}`, manifest.id);
		return keep('newer_on_phone');
	}
	if (installed && installed.version === manifest.version) {
		const added = course.languages.filter((language) => !installed.languages.includes(language));
		// Only the very same signed manifest may add languages to the course on the phone.
		if (added.length === 0 || installed.manifestText !== course.manifestText) return keep('unchanged');
		return { course, installed, outcome: 'added_languages', languages: [...installed.languages, ...added], files: languageFiles(course, added) };
	}
	return { course, installed, outcome: installed ? 'upgraded' : 'installed', languages: course.languages, files: languageFiles(course, course.languages) };
}

/** A course's files for some languages, each once, in the order they sit in the bundle. */
function languageFiles(course: CourseInBundle, languages: string[]): FileEntry[] {
	const wanted = new Set(languages.flatMap((language) => filesForLanguage(course.manifest, language).map((f) => f.path)));
	return course.files.filter((file) => wanted.has(file.path));
}

async function browserFreeSpace(): Promise<number | undefined> {
	if (typeof navigator === 'undefined' || !navigator.storage?.estimate) return undefined;
	const { quota, usage } = await navigator.storage.estimate();
	return quota === undefined ? undefined : quota - (usage ?? 0);
}

async function open(db: ContentDb, file: Blob): Promise<OpenedBundleFile> {
	try {
		return await openBundleFile(file, await trustedPublishers(db));
	} catch (error) {
		if (error instanceof BundleError) throw new ImportError(error.code, error.message);
		throw error;
	}
}

export async function importBundle(options: ImportOptions): Promise<ImportedCourse[]> {
	const { db, file, signal, onProgress } = options;
	const bundle = await open(db, file);
	const jobId = crypto.randomUUID();
	try {
		const installed = await db.courses.bulkGet(bundle.courses.map((c) => c.manifest.id));
		const plans = bundle.courses.map((course, i) => plan(course, installed[i] ?? undefined, bundle.kind === 'course'));

		// Each file once, however many courses or languages share it; none the phone has whole already.
		const toRead = new Map<string, { course: CourseInBundle; entry: FileEntry }>();
		for (const { course, files } of plans) for (const entry of files) if (!toRead.has(entry.sha256)) toRead.set(entry.sha256, { course, entry });
		const stored = await db.files.bulkGet([...toRead.keys()]);
		for (const [i, sha] of [...toRead.keys()].entries()) if (stored[i] && !stored[i].stale) toRead.delete(sha);

		const progress: ImportProgress = { bytesDone: 0, bytesTotal: [...toRead.values()].reduce((n, { entry }) => n + entry.size, 0) };
		const free = await (options.freeSpace ?? browserFreeSpace)();
		if (free !== undefined && progress.bytesTotal > free) {
			throw new ImportError('no_space', `the courses need ${progress.bytesTotal} bytes; the phone has ${free} free`);
		}
		onProgress?.({ ...progress });

		// The files this import stores are kept from cleanup until it has installed its courses.
		await forgetAbandonedImports(db);
		const needed = plans.flatMap(({ files }) => files.map((f) => f.sha256));
		await db.imports.put({ id: jobId, shas: [...new Set(needed)], startedAt: new Date().toISOString() });

		for (const { course, entry } of toRead.values()) {
			signal?.throwIfAborted();
			const blob = await readVerified(bundle, course, entry, signal, (n) => {
				progress.bytesDone += n;
				onProgress?.({ ...progress });
			});
			await db.files.put(await storedFile(entry, blob, options.sanitize));
		}

		const changing = plans.filter((p) => p.files.length > 0 || p.outcome === 'added_languages');
		await db.transaction('rw', [db.courses, db.files, db.imports], async () => {
			// Every file must be there now (a cleanup in another tab cannot have taken one unnoticed).
			const present = await db.files.bulkGet(needed);
			if (present.some((f) => !f || f.stale)) throw new ImportError('damaged_zip', 'a course file went missing while it was being installed');
			const installedAt = new Date().toISOString();
			for (const { course, languages } of changing) {
				await db.courses.put({ id: course.manifest.id, version: course.manifest.version, manifestText: course.manifestText, signature: course.signature, languages, installedAt, source: 'file' });
			}
			await db.imports.delete(jobId);
		});
		await removeUnusedFiles(db);
		return plans.map(({ course, outcome }) => ({ id: course.manifest.id, version: course.manifest.version, title: course.manifest.title, languages: course.languages, outcome }));
	} catch (error) {
		// Nothing of a refused or cancelled import stays: the files it stored are used by no course.
		await db.imports.delete(jobId);
		await removeUnusedFiles(db);
		if (error instanceof BundleError) throw new ImportError(error.code, error.message);
		throw error;
	} finally {
		await bundle.close();
	}
}

/** Reads one file from the bundle into a Blob, checked against its signed size and SHA-256. */
async function readVerified(bundle: OpenedBundleFile, course: CourseInBundle, entry: FileEntry, signal: AbortSignal | undefined, onBytes: (n: number) => void): Promise<Blob> {
	const type = contentTypeFor(entry.path);
	// Chunks are gathered into Blobs every few MB, so a large audio file never sits in memory whole.
	const parts: Blob[] = [];
	let pending: Uint8Array[] = [];
	let pendingBytes = 0;
	const flush = () => {
		if (pending.length > 0) parts.push(new Blob(pending as BlobPart[]));
		pending = [];
		pendingBytes = 0;
	};
	await bundle.readFile(
		course,
		entry,
		(chunk) => {
			pending.push(chunk);
			pendingBytes += chunk.length;
			if (pendingBytes >= FLUSH_BYTES) flush();
			onBytes(chunk.length);
		},
		signal
	);
	flush();
	return new Blob(parts, { type });
}

async function forgetAbandonedImports(db: ContentDb): Promise<void> {
	const before = new Date(Date.now() - ABANDONED_AFTER_MS).toISOString();
	await db.imports.filter((job) => job.startedAt < before).delete();
}
