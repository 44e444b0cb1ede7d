/**
 * The progress side of studying, as screens need it. Screens import this module lazily: it brings
 * PouchDB, which the first screen and a lesson's text must never wait for.
 */
import type { Manifest } from '$lib/course-format/manifest';
import type { Quiz } from '$lib/course-format/quiz';
import { courseProgress, type CourseProgress } from '$lib/progress-model/derive';
import { progressOf } from './learner-progress';
import { LessonSession } from './lesson-session.svelte';
import { QuizSession } from './quiz-session.svelte';

export type { CourseProgress, LessonSession, QuizSession };

export async function progressInCourse(learnerId: string, manifest: Manifest): Promise<CourseProgress> {
	const recorder = await progressOf(learnerId);
	return courseProgress(manifest, await recorder.courseEvents(manifest.id));
}

export async function startLesson(learnerId: string, manifest: Manifest, lessonId: string): Promise<LessonSession> {
	const recorder = await progressOf(learnerId);
	const progress = courseProgress(manifest, await recorder.courseEvents(manifest.id));
	const session = new LessonSession(recorder, { courseId: manifest.id, courseVersion: manifest.version, lessonId }, progress.lessons[lessonId]?.done ?? false);
	await session.open();
	return session;
}

export async function startQuiz(learnerId: string, manifest: Manifest, lessonId: string, language: string, quiz: Quiz): Promise<QuizSession> {
	const recorder = await progressOf(learnerId);
	const lesson = manifest.modules.flatMap((m) => m.lessons).find((l) => l.id === lessonId);
	const passMark = (lesson?.kind === 'quiz' ? lesson.passMark : undefined) ?? manifest.passMark;
	await recorder.record({ courseId: manifest.id, courseVersion: manifest.version, lessonId, type: 'lesson-opened' });
	const session = new QuizSession(recorder, { course: manifest, lessonId, language, quiz: { ...quiz, passMark }, passMark });
	await session.load();
	return session;
}

export { writeProfile } from './learner-progress';
