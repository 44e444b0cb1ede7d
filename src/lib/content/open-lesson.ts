/**
 * Opens one lesson from the phone: its text, media as object URLs, or its quiz, plus the lessons
 * before and after it. A malformed quiz is reported for that lesson alone; the course still works.
 */
import type { Lesson, Manifest } from '$lib/course-format/manifest';
import type { Quiz } from '$lib/course-format/quiz';
import type { ContentDb } from './content-db';
import { courseOnPhone } from './installed-courses';

export interface OpenedLesson {
	manifest: Manifest;
	language: string;
	lesson: Lesson;
	moduleTitle: Record<string, string>;
	previous?: Lesson;
	next?: Lesson;
	html?: string;
	audioUrl?: string;
	quiz?: Quiz;
	quizProblem?: string;
	/** Bundle path → object URL, for images in the lesson text. */
	mediaUrls: Map<string, string>;
	/** Frees the object URLs; call when the lesson is closed. */
	release(): void;
}

/** Malformed JSON is a broken quiz like any other: reported for that quiz, never thrown. */
function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

export class LessonNotFound extends Error {
	override name = 'LessonNotFound';
}

export async function openLesson(db: ContentDb, courseId: string, lessonId: string, preferredLanguage: string): Promise<OpenedLesson> {
	const course = await courseOnPhone(db, courseId);
	if (!course) throw new LessonNotFound(`course ${courseId} is not on this phone`);
	const { manifest, installed } = course;
	const lessons = manifest.modules.flatMap((module) => module.lessons.map((lesson) => ({ module, lesson })));
	const index = lessons.findIndex((entry) => entry.lesson.id === lessonId);
	if (index < 0) throw new LessonNotFound(`lesson ${lessonId} is not in ${courseId}`);
	const { module, lesson } = lessons[index]!;
	const language = installed.languages.includes(preferredLanguage) ? preferredLanguage : installed.languages[0]!;
	const content = lesson.content[language]!;
	const shaOf = new Map(manifest.files.map((f) => [f.path, f.sha256]));
	const blobOf = async (path: string) => (await db.files.get(shaOf.get(path)!))?.blob;

	const urls: string[] = [];
	const objectUrl = (blob: Blob) => {
		const url = URL.createObjectURL(blob);
		urls.push(url);
		return url;
	};
	const opened: OpenedLesson = {
		manifest,
		language,
		lesson,
		moduleTitle: module.title,
		previous: lessons[index - 1]?.lesson,
		next: lessons[index + 1]?.lesson,
		mediaUrls: new Map(),
		release: () => urls.forEach((url) => URL.revokeObjectURL(url))
	};

	if ('quiz' in content) {
		// The schema library loads only for quiz lessons: reading a text lesson stays light.
		const { quizSchema } = await import('$lib/course-format/quiz');
		const blob = await blobOf(content.quiz);
		const parsed = blob ? quizSchema.safeParse(parseJson(await blob.text().catch(() => ''))) : undefined;
		if (parsed?.success) opened.quiz = parsed.data;
		else opened.quizProblem = parsed ? parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : 'the quiz file is missing';
		return opened;
	}
	const htmlPath = 'html' in content ? content.html : content.transcript;
	opened.html = await (await blobOf(htmlPath))?.text();
	if ('audio' in content) {
		const audio = await blobOf(content.audio);
		if (audio) opened.audioUrl = objectUrl(audio);
	}
	for (const path of content.media) {
		const blob = await blobOf(path);
		if (blob) opened.mediaUrls.set(path, objectUrl(blob));
	}
	return opened;
}

