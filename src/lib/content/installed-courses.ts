/** The courses on this phone: listing, outline, removal. */
import type { Manifest } from '$lib/course-format/manifest';
import type { ContentDb, InstalledCourse } from './content-db';
import { removeUnusedFiles } from './unused-files';

export interface CourseOnPhone {
	installed: InstalledCourse;
	manifest: Manifest;
}

export function withManifest(installed: InstalledCourse): CourseOnPhone {
	// Verified (schema, signature, hashes) when it was stored; a change of format is a Dexie
	// upgrade's job, so reading needs no validation library on the way to the lesson text.
	return { installed, manifest: JSON.parse(installed.manifestText) as Manifest };
}

export async function listCoursesOnPhone(db: ContentDb): Promise<CourseOnPhone[]> {
	return (await db.courses.toArray()).map(withManifest).sort((a, b) => a.installed.installedAt.localeCompare(b.installed.installedAt));
}

export async function courseOnPhone(db: ContentDb, id: string): Promise<CourseOnPhone | undefined> {
	const installed = await db.courses.get(id);
	return installed && withManifest(installed);
}

/** Removes a course and frees the files no other course uses. */
export async function deleteCourse(db: ContentDb, id: string): Promise<void> {
	await db.transaction('rw', [db.courses, db.downloads], async () => {
		await db.courses.delete(id);
		await db.downloads.where('key').startsWith(`${id}:`).delete();
	});
	await removeUnusedFiles(db);
}

/** The language to show a course in: the learner's, if the course has it on the phone. */
export function courseLanguage(course: CourseOnPhone, preferred: string): string {
	return course.installed.languages.includes(preferred) ? preferred : course.installed.languages[0]!;
}

/** A text in the course's language, else the first it has. */
export function inLanguage(text: Record<string, string>, language: string): string {
	return text[language] ?? Object.values(text)[0] ?? '';
}
