/**
 * Whether a learner has completed a course, decided by the server from the learner's events and
 * the answer keys the server holds, never from what the phone claims. Pure: the quizzes are
 * looked up from a map the caller filled beforehand (`quizzesNeeded` says which), so the same
 * events and quizzes always give the same answer.
 *
 * The rules follow the app's derivation (src/lib/progress-model/derive.ts) so that "Provisional"
 * on the phone and "Verified" from the server agree for an honest phone:
 * - a text or audio lesson counts from its first `lesson-completed`;
 * - a quiz counts from its first submitted attempt that passes when RE-SCORED here with
 *   `scoreAttempt`, from the latest `answer-saved` per question of that attempt, against the quiz
 *   of the course version and language the attempt was started in, and the pass mark in force now
 *   (the latest manifest's, as derive uses). The submission's own `percent` and `passed` are
 *   ignored: a phone can write anything there;
 * - events of other courses, other learners, and lessons the course no longer has are ignored,
 *   and so is a submission whose attempt was never started (no language to score it in) or whose
 *   quiz the server does not hold.
 */
import type { Manifest } from '../../../src/lib/course-format/manifest.js';
import type { Quiz } from '../../../src/lib/course-format/quiz.js';
import type { LocalizedText } from '../../../src/lib/course-format/manifest.js';
import type { AttemptStarted, ProgressEvent, QuizSubmitted } from '../../../src/lib/progress-model/events.js';
import { answerSchema, type Answer } from '../../../src/lib/quiz/answer.js';
import { scoreAttempt } from '../../../src/lib/quiz/score.js';

/** Which quiz an attempt was taken in. */
export interface QuizKey {
	lessonId: string;
	courseVersion: number;
	language: string;
}

/** The quiz the server holds for a key, or undefined. */
export type QuizLookup = (key: QuizKey) => Quiz | undefined;

export interface QuizResult {
	/** The best re-scored percent of the learner's submitted attempts. */
	bestPercent: number;
	/** Submitted attempts that could be re-scored. */
	attempts: number;
}

export type Completion =
	| {
			complete: true;
			courseId: string;
			courseVersion: number;
			courseTitle: LocalizedText;
			/** Mean of the quizzes' best percents, to two decimals; absent for a course without quizzes. */
			percent?: number;
			/** The time of the event that completed the last lesson still to do. */
			completedAt: string;
			quizzes: Record<string, QuizResult>;
	  }
	| {
			complete: false;
			/** Lessons not yet completed (quizzes: not yet passed), in course order. */
			missing: string[];
	  };

// Times are fixed-width ISO text (events.ts), so text order is time order. Ids break ties.
const byTimeThenId = (a: ProgressEvent, b: ProgressEvent) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

const attemptKey = (lessonId: string, attemptId: string) => `${lessonId} ${attemptId}`;

interface Lesson {
	id: string;
	quiz: boolean;
	passMark: number;
}

function lessonsOf(course: Manifest): Map<string, Lesson> {
	const lessons = new Map<string, Lesson>();
	for (const module of course.modules) {
		for (const lesson of module.lessons) {
			if (lessons.has(lesson.id)) continue; // manifests refuse this; the first wins if one slips through
			lessons.set(lesson.id, { id: lesson.id, quiz: lesson.kind === 'quiz', passMark: (lesson.kind === 'quiz' ? lesson.passMark : undefined) ?? course.passMark });
		}
	}
	return lessons;
}

/** This learner's events of this course's lessons, once each, in time order. */
function relevantEvents(course: Manifest, lessons: Map<string, Lesson>, learnerId: string, events: readonly ProgressEvent[]): ProgressEvent[] {
	const byId = new Map<string, ProgressEvent>();
	for (const event of events) {
		if (event.courseId !== course.id || event.learnerId !== learnerId || !lessons.has(event.lessonId)) continue;
		if (!byId.has(event._id)) byId.set(event._id, event);
	}
	return [...byId.values()].sort(byTimeThenId);
}

interface Attempts {
	started: Map<string, AttemptStarted>;
	/** Latest answer per question, by attempt; values not an answer of any kind are left out (unanswered is wrong). */
	answers: Map<string, Map<string, Answer>>;
	/** Each attempt's first submission, in time order. */
	submitted: QuizSubmitted[];
}

function attemptsOf(sorted: readonly ProgressEvent[], lessons: Map<string, Lesson>): Attempts {
	const started = new Map<string, AttemptStarted>();
	const answers = new Map<string, Map<string, Answer>>();
	const submitted: QuizSubmitted[] = [];
	const seenSubmissions = new Set<string>();
	for (const event of sorted) {
		if (!lessons.get(event.lessonId)?.quiz) continue;
		switch (event.type) {
			case 'attempt-started': {
				const key = attemptKey(event.lessonId, event.attemptId);
				if (!started.has(key)) started.set(key, event);
				break;
			}
			case 'answer-saved': {
				// As derive: in time order, so the last answer saved for a question is the one kept.
				const key = attemptKey(event.lessonId, event.attemptId);
				let saved = answers.get(key);
				if (!saved) answers.set(key, (saved = new Map()));
				const answer = answerSchema.safeParse(event.answer);
				if (answer.success) saved.set(event.questionId, answer.data);
				else saved.delete(event.questionId);
				break;
			}
			case 'quiz-submitted': {
				// One attempt is submitted once; a repeat (a retried write) is the same attempt.
				const key = attemptKey(event.lessonId, event.attemptId);
				if (seenSubmissions.has(key)) break;
				seenSubmissions.add(key);
				submitted.push(event);
				break;
			}
		}
	}
	return { started, answers, submitted };
}

/** The quizzes `courseCompletion` will look up for these events: load them, then call it. */
export function quizzesNeeded(course: Manifest, learnerId: string, events: readonly ProgressEvent[]): QuizKey[] {
	const lessons = lessonsOf(course);
	const { started, submitted } = attemptsOf(relevantEvents(course, lessons, learnerId, events), lessons);
	const keys = new Map<string, QuizKey>();
	for (const submission of submitted) {
		const attempt = started.get(attemptKey(submission.lessonId, submission.attemptId));
		if (!attempt) continue;
		const key = { lessonId: attempt.lessonId, courseVersion: attempt.courseVersion, language: attempt.language };
		keys.set(`${key.lessonId} ${key.courseVersion} ${key.language}`, key);
	}
	return [...keys.values()];
}

export function courseCompletion(course: Manifest, learnerId: string, events: readonly ProgressEvent[], quizFor: QuizLookup): Completion {
	const lessons = lessonsOf(course);
	const sorted = relevantEvents(course, lessons, learnerId, events);
	const { started, answers, submitted } = attemptsOf(sorted, lessons);

	/** When each lesson came to count towards completion. */
	const satisfiedAt = new Map<string, string>();
	for (const event of sorted) {
		// A quiz is done by a passing submission, which is scored below; a bare completion proves nothing.
		if (event.type === 'lesson-completed' && !lessons.get(event.lessonId)!.quiz && !satisfiedAt.has(event.lessonId)) {
			satisfiedAt.set(event.lessonId, event.at);
		}
	}

	const quizzes: Record<string, QuizResult> = {};
	for (const submission of submitted) {
		const lesson = lessons.get(submission.lessonId)!;
		const key = attemptKey(submission.lessonId, submission.attemptId);
		const attempt = started.get(key);
		if (!attempt) continue;
		const quiz = quizFor({ lessonId: attempt.lessonId, courseVersion: attempt.courseVersion, language: attempt.language });
		// A quiz of another lesson or language would score answers against the wrong key.
		if (!quiz || quiz.lessonId !== attempt.lessonId || quiz.language !== attempt.language) continue;
		const score = scoreAttempt(
			{ passMark: lesson.passMark, questions: quiz.questions, language: quiz.language },
			Object.fromEntries(answers.get(key) ?? new Map<string, Answer>())
		);
		const result = (quizzes[lesson.id] ??= { bestPercent: score.percent, attempts: 0 });
		result.attempts += 1;
		result.bestPercent = Math.max(result.bestPercent, score.percent);
		if (score.percent >= lesson.passMark && !satisfiedAt.has(lesson.id)) satisfiedAt.set(lesson.id, submission.at);
	}

	const missing = [...lessons.keys()].filter((id) => !satisfiedAt.has(id));
	if (missing.length > 0 || lessons.size === 0) return { complete: false, missing };

	const completedAt = [...satisfiedAt.values()].reduce((latest, at) => (at > latest ? at : latest));
	const quizLessons = [...lessons.values()].filter((lesson) => lesson.quiz);
	const completion: Completion = { complete: true, courseId: course.id, courseVersion: course.version, courseTitle: course.title, completedAt, quizzes };
	if (quizLessons.length > 0) {
		// Every quiz has a result here: it was passed, so it was scored.
		const mean = quizLessons.reduce((sum, lesson) => sum + quizzes[lesson.id]!.bestPercent, 0) / quizLessons.length;
		completion.percent = Math.round(mean * 100) / 100;
	}
	return completion;
}
