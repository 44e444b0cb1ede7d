/**
 * District bundles (docs/course-bundle.md): several signed courses in one file, for a coordinator
 * to carry to villages. The file itself is not signed; each course in it is, and is verified on
 * its own exactly as if it came alone. `district.json` says what is inside so the app can show it
 * and refuse a file whose contents disagree.
 *
 *   district.json                  { format, createdAt, courses: [{ id, version, languages }] }
 *   courses/<id>/manifest.json     each course's own bundle, under its id
 *   courses/<id>/manifest.sig
 *   courses/<id>/lessons/…
 */
import { BUNDLE_FORMAT_VERSION, idSchema, languageSchema } from './manifest.js';
import { z } from './zod.js';

export const DISTRICT_FILE = 'district.json';

/** Most courses one district bundle may carry. */
export const DISTRICT_MAX_COURSES = 50;

/** The folder a course's bundle sits in inside a district bundle. */
export const districtFolder = (courseId: string) => `courses/${courseId}/`;

export const districtIndexSchema = z.object({
	format: z.literal(BUNDLE_FORMAT_VERSION),
	createdAt: z.iso.datetime(),
	courses: z
		.array(z.object({ id: idSchema, version: z.number().int().min(1), languages: z.array(languageSchema).min(1).max(30) }))
		.min(1)
		.max(DISTRICT_MAX_COURSES)
		.refine((courses) => new Set(courses.map((c) => c.id)).size === courses.length, 'a course is listed twice')
});
export type DistrictIndex = z.infer<typeof districtIndexSchema>;
