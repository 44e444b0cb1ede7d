/**
 * What screens call for courses as files: adding them from a file (chooser, drop, "open with",
 * "share to Sikho"), and the trusted publishers' keys. Loaded only by those screens.
 */
import { contentDb } from './content-db';
import { FILE_NAME_HEADER, SHARED_CACHE, sharedFileUrl } from './shared-file';
import { importBundle, type ImportProgress } from './import-bundle';
import { lessonSanitizer } from './sanitize-lesson';
import { courseAsFile } from './share-course';
import { addPublisherKey, keyFingerprint, listTrustedKeys, removePublisherKey } from './trusted-publishers';

export { ImportError, type ImportedCourse, type ImportOutcome, type ImportProblem, type ImportProgress } from './import-bundle';
export { PublisherKeyError, publisherKeyText, type TrustedKey } from './trusted-publishers';

export function addCoursesFromFile(file: Blob, options: { onProgress?: (progress: ImportProgress) => void; signal?: AbortSignal } = {}) {
	return importBundle({ db: contentDb(), file, sanitize: lessonSanitizer, ...options });
}

const sharedId = /^[0-9a-f-]{36}$/;

/** The file shared to Sikho under this id, as the service worker kept it; undefined when it is gone. */
export async function sharedFile(id: string): Promise<File | undefined> {
	if (typeof caches === 'undefined' || !sharedId.test(id)) return undefined;
	const response = await (await caches.open(SHARED_CACHE)).match(sharedFileUrl(id));
	if (!response) return undefined;
	const name = decodeURIComponent(response.headers.get(FILE_NAME_HEADER) ?? 'course.zip');
	const blob = await response.blob();
	return new File([blob], name, { type: blob.type });
}

/** Frees the shared file once the import is over, whatever its outcome. */
export async function forgetSharedFile(id: string): Promise<void> {
	if (typeof caches === 'undefined' || !sharedId.test(id)) return;
	await (await caches.open(SHARED_CACHE)).delete(sharedFileUrl(id));
}

export const trustedKeys = () => listTrustedKeys(contentDb());
export const addTrustedKey = (text: string) => addPublisherKey(contentDb(), text);
export const removeTrustedKey = (publicKey: string) => removePublisherKey(contentDb(), publicKey);
export { keyFingerprint };

export { ShareError } from './share-course';

/**
 * Shares a course as a file: the phone's share sheet where the browser can share files (Android),
 * otherwise a download. Says which it did.
 */
export async function shareCourse(courseId: string, title: string): Promise<{ shared: 'sheet' | 'download'; name: string }> {
	const file = await courseAsFile(contentDb(), courseId);
	if (navigator.canShare?.({ files: [file] })) {
		try {
			await navigator.share({ files: [file], title });
			return { shared: 'sheet', name: file.name };
		} catch (error) {
			// The learner closed the share sheet: nothing to do, nothing went wrong.
			if (error instanceof DOMException && error.name === 'AbortError') return { shared: 'sheet', name: file.name };
			if (!(error instanceof DOMException && error.name === 'NotAllowedError')) throw error;
		}
	}
	const url = URL.createObjectURL(file);
	const link = Object.assign(document.createElement('a'), { href: url, download: file.name });
	link.click();
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
	return { shared: 'download', name: file.name };
}
