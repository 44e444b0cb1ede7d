/**
 * Which files a lesson or a language needs. Kept apart from the schema so screens that only read
 * stored courses (verified when they were stored) do not load the validation library.
 */
import type { FileEntry, Lesson, Manifest } from './manifest.js';

type LessonContent = Lesson['content'][string];

/** Every bundle path one lesson's content in one language needs. */
export function contentPaths(content: LessonContent): string[] {
	if ('quiz' in content) return [content.quiz];
	if ('audio' in content) return [content.audio, content.transcript, ...content.media];
	return [content.html, ...content.media];
}

/** The files a learner downloads to study the course in one language (shared media once). */
export function filesForLanguage(manifest: Manifest, language: string): FileEntry[] {
	const wanted = new Set<string>();
	for (const module of manifest.modules) {
		for (const lesson of module.lessons) {
			const content = lesson.content[language];
			if (content) for (const path of contentPaths(content)) wanted.add(path);
		}
	}
	return manifest.files.filter((file) => wanted.has(file.path));
}

export function downloadSize(manifest: Manifest, language: string): number {
	return filesForLanguage(manifest, language).reduce((sum, file) => sum + file.size, 0);
}
