/**
 * Course bundle format v1: the manifest every bundle carries (docs/course-bundle.md).
 * One schema for the CLI that writes bundles, the server that publishes them and the app that
 * downloads or imports them. Isomorphic: no DOM, no Node APIs, no `$lib` imports.
 */
import { z } from './zod.js';

/**
 * Bump when a reader of the old format would misread a new bundle (a field changes meaning, a
 * required field is added). Readers refuse formats they do not know rather than guess.
 */
export const BUNDLE_FORMAT_VERSION = 1;

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LANGUAGE = /^[a-z]{2,3}(?:-[A-Z]{2})?$/;
// Bundle paths: relative, plain characters, no "..", so no entry can point outside the bundle.
const PATH = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[a-z0-9][a-z0-9._-]*(?:\/[a-z0-9][a-z0-9._-]*)*$/;

export const idSchema = z.string().max(80).regex(ID, 'lower-case letters, digits and single dashes');
export const languageSchema = z.string().regex(LANGUAGE, 'a language code such as "en" or "hi"');
export const bundlePathSchema = z.string().max(200).regex(PATH, 'a relative path of lower-case letters, digits, ".", "_", "-"');
export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 as 64 lower-case hex digits');

/** Text in every language the course offers. Checked against `languages` below. */
export const localizedTextSchema = z.record(languageSchema, z.string().min(1).max(20_000));
export type LocalizedText = z.infer<typeof localizedTextSchema>;

const lessonBase = {
	id: idSchema,
	title: localizedTextSchema,
	minutes: z.number().int().min(1).max(600)
};

const textContent = z.object({ html: bundlePathSchema, media: z.array(bundlePathSchema).max(50).default([]) });
const audioContent = z.object({
	audio: bundlePathSchema,
	transcript: bundlePathSchema,
	media: z.array(bundlePathSchema).max(50).default([])
});
const quizContent = z.object({ quiz: bundlePathSchema });

export const lessonSchema = z.discriminatedUnion('kind', [
	z.object({ ...lessonBase, kind: z.literal('text'), content: z.record(languageSchema, textContent) }),
	z.object({ ...lessonBase, kind: z.literal('audio'), content: z.record(languageSchema, audioContent) }),
	z.object({
		...lessonBase,
		kind: z.literal('quiz'),
		passMark: z.number().int().min(0).max(100).optional(),
		content: z.record(languageSchema, quizContent)
	})
]);
export type Lesson = z.infer<typeof lessonSchema>;
export type LessonKind = Lesson['kind'];

export const moduleSchema = z.object({
	id: idSchema,
	title: localizedTextSchema,
	lessons: z.array(lessonSchema).min(1).max(100)
});
export type CourseModule = z.infer<typeof moduleSchema>;

export const fileEntrySchema = z.object({
	path: bundlePathSchema,
	size: z.number().int().min(0).max(512 * 1024 * 1024),
	sha256: sha256Schema
});
export type FileEntry = z.infer<typeof fileEntrySchema>;

export const manifestSchema = z
	.object({
		format: z.literal(BUNDLE_FORMAT_VERSION),
		id: idSchema,
		version: z.number().int().min(1),
		publisher: idSchema,
		licence: z.string().min(1).max(100),
		languages: z.array(languageSchema).min(1).max(30),
		title: localizedTextSchema,
		description: localizedTextSchema,
		passMark: z.number().int().min(0).max(100),
		modules: z.array(moduleSchema).min(1).max(100),
		files: z.array(fileEntrySchema).max(5000),
		createdAt: z.iso.datetime()
	})
	.superRefine((manifest, ctx) => {
		const problem = (message: string, path: (string | number)[]) => ctx.addIssue({ code: 'custom', message, path });
		const languages = new Set(manifest.languages);
		const everyLanguage = (value: Record<string, unknown>, path: (string | number)[]) => {
			for (const language of languages) if (!(language in value)) problem(`missing language "${language}"`, path);
			for (const key of Object.keys(value)) if (!languages.has(key)) problem(`language "${key}" is not offered`, path);
		};

		everyLanguage(manifest.title, ['title']);
		everyLanguage(manifest.description, ['description']);

		const paths = new Set<string>();
		manifest.files.forEach((file, i) => {
			if (paths.has(file.path)) problem(`file "${file.path}" is listed twice`, ['files', i, 'path']);
			paths.add(file.path);
		});

		const lessonIds = new Set<string>();
		const referenced = new Set<string>();
		manifest.modules.forEach((module, m) => {
			everyLanguage(module.title, ['modules', m, 'title']);
			module.lessons.forEach((lesson, l) => {
				const at = ['modules', m, 'lessons', l];
				if (lessonIds.has(lesson.id)) problem(`lesson id "${lesson.id}" is used twice`, [...at, 'id']);
				lessonIds.add(lesson.id);
				everyLanguage(lesson.title, [...at, 'title']);
				everyLanguage(lesson.content, [...at, 'content']);
				for (const [language, content] of Object.entries(lesson.content)) {
					for (const path of contentPaths(content)) {
						referenced.add(path);
						if (!paths.has(path)) problem(`"${path}" is not in files`, [...at, 'content', language]);
					}
				}
			});
		});
		for (const path of paths) {
			if (!referenced.has(path)) problem(`"${path}" is in files but no lesson uses it`, ['files']);
		}
	});
export type Manifest = z.infer<typeof manifestSchema>;

import { contentPaths } from './manifest-paths.js';

export { contentPaths, downloadSize, filesForLanguage } from './manifest-paths.js';

export class ManifestError extends Error {
	override name = 'ManifestError';
	constructor(readonly problems: string[]) {
		super(`Invalid course manifest: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`);
	}
}

/** Parses and checks a manifest; every problem is named with where it is. */
export function parseManifest(value: unknown): Manifest {
	const format = (value as { format?: unknown } | null)?.format;
	if (typeof format === 'number' && format !== BUNDLE_FORMAT_VERSION) {
		throw new ManifestError([`bundle format ${format} is not one this version of Sikho can read (it reads ${BUNDLE_FORMAT_VERSION})`]);
	}
	const parsed = manifestSchema.safeParse(value);
	if (!parsed.success) {
		throw new ManifestError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'manifest'}: ${issue.message}`));
	}
	return parsed.data;
}
