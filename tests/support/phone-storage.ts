/**
 * What a phone holds in its course database, read with the browser's own IndexedDB API from the
 * page (as the lesson screen reads it): how tests show that a refused file stored nothing.
 */
import type { Page } from '@playwright/test';

export async function storedCourseIds(page: Page): Promise<string[]> {
	return page.evaluate(
		() =>
			new Promise<string[]>((resolve, reject) => {
				const request = indexedDB.open('sikho-content');
				request.onsuccess = () => {
					const db = request.result;
					if (!db.objectStoreNames.contains('courses')) return resolve([]);
					const keys = db.transaction('courses').objectStore('courses').getAllKeys();
					keys.onsuccess = () => resolve(keys.result.map(String));
					keys.onerror = () => reject(keys.error);
				};
				request.onerror = () => reject(request.error);
			})
	);
}

export async function storedCounts(page: Page): Promise<{ courses: number; files: number }> {
	return page.evaluate(
		() =>
			new Promise<{ courses: number; files: number }>((resolve, reject) => {
				const request = indexedDB.open('sikho-content');
				request.onsuccess = () => {
					const db = request.result;
					if (!db.objectStoreNames.contains('files')) return resolve({ courses: 0, files: 0 });
					const tx = db.transaction(['courses', 'files']);
					const courses = tx.objectStore('courses').count();
					const files = tx.objectStore('files').count();
					tx.oncomplete = () => resolve({ courses: courses.result, files: files.result });
					tx.onerror = () => reject(tx.error);
				};
				request.onerror = () => reject(request.error);
			})
	);
}

/** The shown copies of the SVG images on the phone, as the lesson screen reads them. */
export async function storedSvgDisplays(page: Page): Promise<string[]> {
	return page.evaluate(
		() =>
			new Promise<string[]>((resolve, reject) => {
				const request = indexedDB.open('sikho-content');
				request.onsuccess = () => {
					const all = request.result.transaction('files').objectStore('files').getAll();
					all.onsuccess = async () => {
						const files = all.result as { blob: Blob; display?: Blob }[];
						resolve(await Promise.all(files.filter((f) => f.blob.type.startsWith('image/svg')).map((f) => (f.display ?? f.blob).text())));
					};
					all.onerror = () => reject(all.error);
				};
				request.onerror = () => reject(request.error);
			})
	);
}
