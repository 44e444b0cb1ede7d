/**
 * A course on the phone as a bundle file, to hand to another phone with no internet: its signed
 * manifest and the signed bytes of every file for the languages on this phone, so the other phone
 * verifies it exactly as it would the publisher's own file.
 */
import { writeBundle } from '$lib/course-format/bundle-writer';
import { filesForLanguage } from '$lib/course-format/manifest-paths';
import type { Manifest } from '$lib/course-format/manifest';
import type { ContentDb } from './content-db';

export class ShareError extends Error {
	override name = 'ShareError';
	constructor(
		/** `stale`: a file kept only sanitised by an older Sikho; `missing`: the course or a file is not on the phone. */
		readonly code: 'stale' | 'missing',
		message: string
	) {
		super(message);
	}
}

export async function courseAsFile(db: ContentDb, courseId: string): Promise<File> {
	const course = await db.courses.get(courseId);
	if (!course) throw new ShareError('missing', `${courseId} is not on this phone`);
	const manifest = JSON.parse(course.manifestText) as Manifest;
	const entries = [...new Map(course.languages.flatMap((language) => filesForLanguage(manifest, language)).map((f) => [f.path, f])).values()];
	const stored = await db.files.bulkGet(entries.map((f) => f.sha256));
	if (stored.some((file) => !file)) throw new ShareError('missing', `a file of ${courseId} is not on this phone`);
	if (stored.some((file) => file!.stale)) throw new ShareError('stale', `${courseId} was stored by an older Sikho without its signed bytes`);
	// In the manifest's order, as the publisher's own bundle has them.
	const order = new Map(manifest.files.map((f, i) => [f.path, i]));
	const files = entries
		.map((entry, i) => ({ path: entry.path, data: () => stored[i]!.blob }))
		.sort((a, b) => order.get(a.path)! - order.get(b.path)!);
	const blob = await new Response(writeBundle([{ manifestText: course.manifestText, signature: course.signature, files }])).blob();
	return new File([blob], `${courseId}-v${course.version}.zip`, { type: 'application/zip' });
}
