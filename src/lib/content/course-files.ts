/**
 * What screens call for courses as files: adding them from a file (chooser, drop, "open with",
 * "share to Sikho"), and the trusted publishers' keys. Loaded only by those screens.
 */
import { contentDb } from './content-db';
import { FILE_NAME_HEADER, SHARED_CACHE, sharedFileUrl } from './shared-file';
import { importBundle, type ImportProgress } from './import-bundle';
import { lessonSanitizer } from './sanitize-lesson';
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
