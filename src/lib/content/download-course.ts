/**
 * Downloads one course in one language, the way a learner on metered, patchy data needs it:
 * the signed manifest first (refused unless its publisher is trusted and the signature holds),
 * then only the files not already on the phone, a few requests ("packs") for many files, each
 * file checked against its SHA-256 and stored as soon as its last byte arrives. Cancelled or cut
 * off, it keeps what it verified and resumes with only what is missing.
 * The course switches to the new version in one transaction at the end, so the old version stays
 * usable until the new one is whole, and a failure never leaves half a course.
 */
import { planPacks } from '$lib/course-format/content-pack';
import type { FileEntry } from '$lib/course-format/manifest';
import { filesForLanguage } from '$lib/course-format/manifest-paths';
import { applyManifestPatch, type ManifestPatch } from '$lib/course-format/manifest-patch';
import { contentTypeFor } from '$lib/course-format/media-types';
import { storedFile, type Sanitize } from './stored-file';
import { verifySignedManifest } from '$lib/course-format/verify';
import type { ContentDb, InstalledCourse } from './content-db';
import { DownloadError, request } from './download-request';
import { fetchPack } from './fetch-pack';
import { trustedPublishers } from './trusted-publishers';
import { removeUnusedFiles } from './unused-files';

export interface DownloadProgress {
	/** Bytes of this language's files on the phone, verified. */
	bytesDone: number;
	bytesTotal: number;
	/** Bytes that came over the network in this run (what the learner pays for). */
	bytesFetched: number;
}

export interface DownloadOptions {
	db: ContentDb;
	courseId: string;
	language: string;
	fetch?: typeof fetch;
	signal?: AbortSignal;
	onProgress?: (progress: DownloadProgress) => void;
	/** Makes the copy of lesson text and SVG images that is shown (the app re-sanitises; bundles are untrusted). */
	sanitize?: Sanitize;
	/** Packs fetched at once (6: a browser's limit per server over HTTP/1.1): hides round trips on high-latency links. */
	parallel?: number;
	/**
	 * Bytes of files asked for in one request. Big enough that a course's text comes in one
	 * round trip (and compresses as one stream), small enough that a large course's audio is
	 * spread over parallel requests. Progress and resume are per file whatever the size.
	 */
	packBytes?: number;
}

export { DownloadError, type DownloadFailure } from './download-request';

type ManifestAnswer = { manifest: string; signature: string } | { patch: ManifestPatch; signature: string };

async function manifestTextFrom(answer: ManifestAnswer, installed: InstalledCourse | undefined): Promise<string | undefined> {
	if ('manifest' in answer) return answer.manifest;
	if (!installed || answer.patch.from !== installed.version) return undefined;
	try {
		return applyManifestPatch(installed.manifestText, answer.patch.ops);
	} catch {
		return undefined;
	}
}

/**
 * The latest signed manifest. A phone that has a version says so, and may get a patch over the
 * text it holds instead of the whole (see manifest-patch.ts); the signature is then checked over
 * the rebuilt text, and if anything about the patch is off, the whole manifest is fetched.
 */
export async function fetchVerifiedManifest(db: ContentDb, courseId: string, fetcher: typeof fetch = fetch, signal?: AbortSignal) {
	const url = `/api/courses/${encodeURIComponent(courseId)}`;
	const trusted = await trustedPublishers(db);
	const installed = await db.courses.get(courseId);
	if (installed) {
		const answer = (await (await request(fetcher, `${url}?have=${installed.version}`, signal)).json()) as ManifestAnswer;
		const manifestText = await manifestTextFrom(answer, installed);
		if (manifestText !== undefined) {
			try {
				const manifest = await verifySignedManifest(new TextEncoder().encode(manifestText), answer.signature, trusted);
				return { manifest, manifestText, signature: answer.signature };
			} catch (error) {
				// A whole manifest that fails is refused; a patched one gets a second chance as a whole.
				if ('manifest' in answer) throw error;
			}
		}
	}
	const answer = (await (await request(fetcher, url, signal)).json()) as { manifest: string; signature: string };
	const manifest = await verifySignedManifest(new TextEncoder().encode(answer.manifest), answer.signature, trusted);
	return { manifest, manifestText: answer.manifest, signature: answer.signature };
}

export async function downloadCourse(options: DownloadOptions): Promise<InstalledCourse> {
	const { db, courseId, language, signal, onProgress } = options;
	const fetcher = options.fetch ?? fetch;
	const { manifest, manifestText, signature } = await fetchVerifiedManifest(db, courseId, fetcher, signal);
	if (!manifest.languages.includes(language)) throw new DownloadError('not_offered', `${courseId} is not offered in ${language}`);

	// Files are stored by content: two paths with the same bytes are one file, fetched and counted once.
	const needed = [...new Map(filesForLanguage(manifest, language).map((f) => [f.sha256, f])).values()];
	const stored = await db.files.bulkGet(needed.map((f) => f.sha256));
	// A file kept only sanitised by an older Sikho is fetched again, so the course can be shared whole.
	const missing = needed.filter((_, i) => !stored[i] || stored[i].stale);
	const progress: DownloadProgress = {
		bytesTotal: needed.reduce((n, f) => n + f.size, 0),
		bytesDone: needed.filter((_, i) => stored[i] && !stored[i].stale).reduce((n, f) => n + f.size, 0),
		bytesFetched: 0
	};
	await db.downloads.put({
		key: `${courseId}:${language}`,
		courseId,
		language,
		version: manifest.version,
		bytesTotal: progress.bytesTotal,
		shas: needed.map((f) => f.sha256),
		startedAt: new Date().toISOString()
	});
	onProgress?.({ ...progress });

	// Text and media apart (only text is compressed on the wire), largest packs first.
	const queue = planPacks(missing, options.packBytes ?? 512 * 1024);
	// The first failure (or the learner's pause) stops every worker: none may go on fetching,
	// storing or reporting progress after the download has ended.
	const stop = new AbortController();
	signal?.addEventListener('abort', () => stop.abort(signal.reason), { once: true });
	if (signal?.aborted) stop.abort(signal.reason);
	// Bytes received of files not yet verified, across all workers, so the bar never moves back.
	let inFlight = 0;
	const report = () => {
		if (!stop.signal.aborted) onProgress?.({ ...progress, bytesDone: progress.bytesDone + inFlight });
	};
	const handlers = {
		onBytes: (n: number) => {
			inFlight += n;
			progress.bytesFetched += n;
			report();
		},
		onFile: async (entry: FileEntry, bytes: Uint8Array) => {
			await db.files.put(await storedFile(entry, new Blob([bytes as BlobPart], { type: contentTypeFor(entry.path) }), options.sanitize));
			inFlight -= entry.size;
			progress.bytesDone += entry.size;
			report();
		}
	};
	const worker = async () => {
		for (let pack = queue.shift(); pack; pack = queue.shift()) {
			stop.signal.throwIfAborted();
			await fetchPack(fetcher, pack, stop.signal, handlers);
		}
	};
	try {
		await Promise.all(Array.from({ length: Math.min(options.parallel ?? 6, Math.max(queue.length, 1)) }, worker));
	} catch (error) {
		stop.abort(error);
		throw error;
	}

	const installed = await db.transaction('rw', [db.courses, db.downloads, db.files], async () => {
		const current = await db.courses.get(courseId);
		const languages = current && current.version === manifest.version ? [...new Set([...current.languages, language])] : [language];
		const course: InstalledCourse = { id: courseId, version: manifest.version, manifestText, signature, languages, installedAt: new Date().toISOString(), source: 'download' };
		await db.courses.put(course);
		await db.downloads.delete(`${courseId}:${language}`);
		return course;
	});
	await removeUnusedFiles(db);
	return installed;
}

