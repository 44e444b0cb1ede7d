/** The server's list of courses, with what is already on this phone. */
import type { CatalogEntry } from '$lib/course-format/catalog';
import type { ContentDb, InstalledCourse } from './content-db';

export type CatalogCourse = CatalogEntry;

export interface CatalogItem {
	course: CatalogCourse;
	installed?: InstalledCourse;
	/** An older version is on the phone; the newer one can be fetched (changed files only). */
	updateAvailable: boolean;
}

export async function loadCatalog(db: ContentDb, fetcher: typeof fetch = fetch): Promise<CatalogItem[]> {
	const response = await fetcher('/api/catalog');
	if (!response.ok) throw new Error(`catalog: ${response.status}`);
	const { courses, publishers } = (await response.json()) as { courses: CatalogCourse[]; publishers: Record<string, string> };
	// The app trusts the keys its own server lists: it runs that server's code already.
	const known = new Set(await db.publisherKeys.toCollection().primaryKeys());
	const addedAt = new Date().toISOString();
	await db.publisherKeys.bulkPut(
		Object.entries(publishers)
			.filter(([, publicKey]) => !known.has(publicKey))
			.map(([publisher, publicKey]) => ({ publicKey, publisher, source: 'server' as const, addedAt }))
	);
	const installed = await db.courses.bulkGet(courses.map((c) => c.id));
	return courses.map((course, i) => {
		const onPhone = installed[i] ?? undefined;
		return { course, installed: onPhone, updateAvailable: !!onPhone && onPhone.version < course.version };
	});
}
