/** Frees the space of files no installed course and no download or import under way still needs. */
import type { Manifest } from '$lib/course-format/manifest';
import { filesForLanguage } from '$lib/course-format/manifest-paths';
import type { ContentDb } from './content-db';

export async function removeUnusedFiles(db: ContentDb): Promise<number> {
	return db.transaction('rw', [db.courses, db.files, db.downloads, db.imports], async () => {
		const keep = new Set<string>();
		for (const course of await db.courses.toArray()) {
			const manifest = JSON.parse(course.manifestText) as Manifest;
			for (const language of course.languages) {
				for (const file of filesForLanguage(manifest, language)) keep.add(file.sha256);
			}
		}
		for (const job of await db.downloads.toArray()) for (const sha of job.shas) keep.add(sha);
		for (const job of await db.imports.toArray()) for (const sha of job.shas) keep.add(sha);
		const unused = (await db.files.toCollection().primaryKeys()).filter((sha) => !keep.has(sha));
		await db.files.bulkDelete(unused);
		return unused.length;
	});
}
