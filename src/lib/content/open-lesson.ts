/**
 * Opens one lesson from the phone: its text, media as object URLs, or its quiz, plus the lessons
 * before and after it. A malformed quiz is reported for that lesson alone; the course still works.
 */
import type { Lesson, Manifest } from '$lib/course-format/manifest';
import type { Quiz } from '$lib/course-format/quiz';
import type { CourseFiles } from './content-reader';
import { withManifest } from './installed-courses';

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

export async function openLesson(store: CourseFiles, courseId: string, lessonId: string, preferredLanguage: string): Promise<OpenedLesson> {
	const installed = await store.course(courseId);
	if (!installed) throw new LessonNotFound(`course ${courseId} is not on this phone`);
	const { manifest } = withManifest(installed);
	const lessons = manifest.modules.flatMap((module) => module.lessons.map((lesson) => ({ module, lesson })));
	const index = lessons.findIndex((entry) => entry.lesson.id === lessonId);
	if (index < 0) throw new LessonNotFound(`lesson ${lessonId} is not in ${courseId}`);
	const { module, lesson } = lessons[index]!;
	const language = installed.languages.includes(preferredLanguage) ? preferredLanguage : installed.languages[0]!;
	const content = lesson.content[language]!;
	const shaOf = new Map(manifest.files.map((f) => [f.path, f.sha256]));
	/** The lesson's files by bundle path, all read at once. */
	const read = async (paths: string[]) => {
		const blobs = await store.blobs(paths.map((path) => shaOf.get(path)!));
		return new Map(paths.map((path, i) => [path, blobs[i]]));
	};

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
		const [{ quizSchema }, files] = await Promise.all([import('$lib/course-format/quiz'), read([content.quiz])]);
		const blob = files.get(content.quiz);
		const parsed = blob ? quizSchema.safeParse(parseJson(await blob.text().catch(() => ''))) : undefined;
		if (parsed?.success) opened.quiz = parsed.data;
		else opened.quizProblem = parsed ? parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : 'the quiz file is missing';
		return opened;
	}
	const htmlPath = 'html' in content ? content.html : content.transcript;
	const audioPath = 'audio' in content ? content.audio : undefined;
	const files = await read([htmlPath, ...(audioPath ? [audioPath] : []), ...content.media]);
	opened.html = await files.get(htmlPath)?.text();
	const audio = audioPath && files.get(audioPath);
	if (audio) opened.audioUrl = objectUrl(audio);
	for (const path of content.media) {
		const blob = files.get(path);
		if (blob) opened.mediaUrls.set(path, objectUrl(blob));
	}
	return opened;
}
