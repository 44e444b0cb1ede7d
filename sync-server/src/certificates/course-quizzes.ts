/**
 * The courses and answer keys the server holds, as issuing certificates needs them: the latest
 * manifest of a course (its lessons and pass marks decide completion) and the quiz file of a
 * lesson in the course version and language an attempt was taken in.
 */
import { readFile } from 'node:fs/promises';
import type { Manifest } from '../../../src/lib/course-format/manifest.js';
import { quizSchema, type Quiz } from '../../../src/lib/course-format/quiz.js';
import type { CourseLibrary } from '../courses/course-library.js';
import type { QuizKey } from './course-completion.js';

export interface CourseQuizzes {
	/** The latest published manifest, or undefined for a course the server does not have. */
	latest(courseId: string): Manifest | undefined;
	/**
	 * A lesson's quiz in one language, from the given course version when the server has it, else
	 * from the latest (a version published before the server kept it). Undefined when neither has it.
	 */
	quiz(courseId: string, key: QuizKey): Promise<Quiz | undefined>;
}

/** Each map keeps at most this many entries; quiz files are small and few are in use at once. */
const CACHE_SIZE = 500;

/** The cached promise for a key, made once; a failed one is forgotten so the next call tries again. */
function cached<V>(cache: Map<string, Promise<V>>, key: string, make: () => Promise<V>): Promise<V> {
	const known = cache.get(key);
	if (known) return known;
	if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
	const made = make();
	cache.set(key, made);
	made.catch(() => cache.delete(key));
	return made;
}

export function libraryQuizzes(library: CourseLibrary): CourseQuizzes {
	// By SHA-256: a stored file never changes, so a parsed quiz never goes stale.
	const quizzes = new Map<string, Promise<Quiz | undefined>>();
	const manifests = new Map<string, Promise<Manifest | undefined>>();

	const manifestOf = (courseId: string, version: number) => cached(manifests, `${courseId}@${version}`, () => library.publishedManifest(courseId, version));

	const quizFile = (sha256: string) =>
		cached(quizzes, sha256, async () => {
			const file = await library.contentFile(sha256);
			if (!file) return undefined;
			const parsed = quizSchema.safeParse(JSON.parse(await readFile(file.path, 'utf8')));
			return parsed.success ? parsed.data : undefined;
		});

	const quizIn = async (manifest: Manifest, { lessonId, language }: QuizKey) => {
		const lesson = manifest.modules.flatMap((m) => m.lessons).find((l) => l.id === lessonId);
		const path = lesson?.kind === 'quiz' ? lesson.content[language]?.quiz : undefined;
		const entry = path === undefined ? undefined : manifest.files.find((f) => f.path === path);
		if (!entry) return undefined;
		const quiz = await quizFile(entry.sha256);
		return quiz?.lessonId === lessonId && quiz.language === language ? quiz : undefined;
	};

	return {
		latest: (courseId) => library.course(courseId)?.manifest,
		async quiz(courseId, key) {
			const latest = library.course(courseId)?.manifest;
			if (!latest) return undefined;
			const then = key.courseVersion === latest.version ? latest : await manifestOf(courseId, key.courseVersion);
			return (then ? await quizIn(then, key) : undefined) ?? (then === latest ? undefined : quizIn(latest, key));
		}
	};
}
