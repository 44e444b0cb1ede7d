/**
 * A learner's progress in one course, derived from their events (rules in docs/progress-model.md).
 * Pure: the same set of events gives the same state whatever order they arrived in and however
 * often each arrived, which is what lets replication deliver them in any order, twice, or late.
 * One sort and one pass: O(n log n) in the events. Isomorphic: no DOM, no Node APIs, no `$lib`.
 */
import type { Answer, AttemptStarted, ProgressEvent } from './events.js';

export { courseEventRange } from './events.js';

/** What derivation needs of a course; a `Manifest` is one. */
export interface CourseOutline {
	id: string;
	passMark: number;
	modules: ReadonlyArray<{
		id: string;
		lessons: ReadonlyArray<{ id: string; kind: 'text' | 'audio' | 'quiz'; passMark?: number }>;
	}>;
}

export interface LessonProgress {
	/** Opened at least once (completing a lesson implies it was opened, even if that event is late). */
	opened: boolean;
	/** A text or audio lesson completed; a quiz submitted at least once, passed or not. */
	done: boolean;
	/** Quizzes with a submission: the best percent of any attempt. */
	bestPercent?: number;
	/** Quizzes with a submission: the best percent reaches the pass mark in force now. */
	passed?: boolean;
	/** Submitted attempts (0 for text and audio lessons). */
	attempts: number;
}

/** A quiz attempt started and not submitted: what the quiz screen needs to carry on. */
export interface OpenAttempt {
	attemptId: string;
	seed: number;
	language: string;
	/** The latest saved answer per question. */
	answers: Record<string, Answer>;
	startedAt: string;
}

export interface AttemptResult {
	attemptId: string;
	percent: number;
	/** Against the pass mark in force now, not the one the phone had. */
	passed: boolean;
	at: string;
}

export interface CourseProgress {
	lessons: Record<string, LessonProgress>;
	doneCount: number;
	total: number;
	/** Whole percent of lessons done, rounded down: 100 only when every lesson is done. */
	percent: number;
	resume: { lessonId: string } | null;
	secondsSpent: number;
	/** Every lesson done and every quiz passed. */
	complete: boolean;
	/** When complete: the time of the event that completed the course. */
	finishedAt?: string;
	/** The mean of the best percents of the quizzes submitted so far. */
	bestOverallScore?: number;
	openAttempts: Record<string, OpenAttempt>;
	/** Every quiz lesson, each with its submitted attempts in order. */
	attemptHistory: Record<string, AttemptResult[]>;
}

interface LessonState {
	id: string;
	quiz: boolean;
	passMark: number;
	opened: boolean;
	/** Position in the sorted events of the last `lesson-opened`, or -1. */
	lastOpened: number;
	done: boolean;
	best: number | undefined;
	/** Position of the event that made this lesson count towards completion (done, and passed for quizzes), or -1. */
	satisfiedAt: number;
	submitted: Set<string>;
	history: AttemptResult[];
	/** The latest attempt-started. */
	latestAttempt: AttemptStarted | undefined;
}

// Times are fixed-width ISO text (events.ts), so text order is time order. Ids break ties.
const byTimeThenId = (a: ProgressEvent, b: ProgressEvent) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

/**
 * Of two different documents under one id (an edit, which the format forbids, or two sources
 * disagreeing): the one kept, chosen from their content alone so arrival order cannot matter.
 */
function keptDuplicate(a: ProgressEvent, b: ProgressEvent): ProgressEvent {
	if (a.at !== b.at) return a.at < b.at ? a : b;
	return JSON.stringify(a) <= JSON.stringify(b) ? a : b;
}

export function courseProgress(course: CourseOutline, events: readonly ProgressEvent[]): CourseProgress {
	const lessons = new Map<string, LessonState>();
	for (const module of course.modules) {
		for (const lesson of module.lessons) {
			if (lessons.has(lesson.id)) continue; // manifests refuse this; the first wins if one slips through
			lessons.set(lesson.id, {
				id: lesson.id,
				quiz: lesson.kind === 'quiz',
				passMark: lesson.passMark ?? course.passMark,
				opened: false,
				lastOpened: -1,
				done: false,
				best: undefined,
				satisfiedAt: -1,
				submitted: new Set(),
				history: [],
				latestAttempt: undefined
			});
		}
	}

	// Keep this course's events for its lessons (a newer version may have dropped one), once each.
	const byId = new Map<string, ProgressEvent>();
	for (const event of events) {
		if (event.courseId !== course.id || !lessons.has(event.lessonId)) continue;
		const seen = byId.get(event._id);
		byId.set(event._id, seen === undefined || seen === event ? event : keptDuplicate(seen, event));
	}
	const sorted = [...byId.values()].sort(byTimeThenId);

	let secondsSpent = 0;
	// Answers by "<lessonId> <attemptId>", then question; sorted order makes the last write the latest.
	const answers = new Map<string, Map<string, Answer>>();

	for (let i = 0; i < sorted.length; i++) {
		const event = sorted[i]!;
		const lesson = lessons.get(event.lessonId)!;
		switch (event.type) {
			case 'lesson-opened':
				lesson.opened = true;
				lesson.lastOpened = i;
				break;
			case 'time-spent':
				secondsSpent += event.seconds;
				break;
			case 'lesson-completed':
				// A quiz is done by its submission, which carries a score; a bare completion proves nothing.
				if (lesson.quiz || lesson.done) break;
				lesson.done = true;
				lesson.opened = true;
				lesson.satisfiedAt = i;
				break;
			case 'attempt-started':
				if (lesson.quiz) lesson.latestAttempt = event;
				break;
			case 'answer-saved': {
				if (!lesson.quiz) break;
				const key = `${event.lessonId} ${event.attemptId}`;
				let saved = answers.get(key);
				if (!saved) answers.set(key, (saved = new Map()));
				saved.set(event.questionId, event.answer);
				break;
			}
			case 'quiz-submitted': {
				// One attempt is submitted once; a repeat (a retried write) is the same attempt, not a new one.
				if (!lesson.quiz || lesson.submitted.has(event.attemptId)) break;
				lesson.submitted.add(event.attemptId);
				// The event's own `passed` used the pass mark the phone had; the course's mark now decides.
				const passed = event.percent >= lesson.passMark;
				lesson.history.push({ attemptId: event.attemptId, percent: event.percent, passed, at: event.at });
				lesson.done = true;
				lesson.opened = true;
				if (lesson.best === undefined || event.percent > lesson.best) lesson.best = event.percent;
				if (passed && lesson.satisfiedAt < 0) lesson.satisfiedAt = i;
				break;
			}
		}
	}

	const result: Record<string, LessonProgress> = {};
	const openAttempts: Record<string, OpenAttempt> = {};
	const attemptHistory: Record<string, AttemptResult[]> = {};
	let doneCount = 0;
	let complete = lessons.size > 0;
	let finishedIndex = -1;
	let latestOpen: LessonState | undefined;
	let firstNotDone: LessonState | undefined;
	let bestSum = 0;
	let bestCount = 0;

	for (const lesson of lessons.values()) {
		const progress: LessonProgress = { opened: lesson.opened, done: lesson.done, attempts: lesson.submitted.size };
		if (lesson.best !== undefined) {
			progress.bestPercent = lesson.best;
			progress.passed = lesson.best >= lesson.passMark;
			bestSum += lesson.best;
			bestCount += 1;
		}
		result[lesson.id] = progress;

		if (lesson.done) doneCount += 1;
		else {
			firstNotDone ??= lesson;
			if (lesson.lastOpened > (latestOpen?.lastOpened ?? -1)) latestOpen = lesson;
		}
		if (lesson.satisfiedAt < 0) complete = false;
		else finishedIndex = Math.max(finishedIndex, lesson.satisfiedAt);

		if (lesson.quiz) {
			attemptHistory[lesson.id] = lesson.history;
			const attempt = lesson.latestAttempt;
			// Only the latest attempt can be open: starting a new one abandons any older one.
			if (attempt && !lesson.submitted.has(attempt.attemptId)) {
				openAttempts[lesson.id] = {
					attemptId: attempt.attemptId,
					seed: attempt.seed,
					language: attempt.language,
					answers: Object.fromEntries(answers.get(`${lesson.id} ${attempt.attemptId}`) ?? []),
					startedAt: attempt.at
				};
			}
		}
	}

	const total = lessons.size;
	const progress: CourseProgress = {
		lessons: result,
		doneCount,
		total,
		percent: total === 0 ? 0 : Math.floor((doneCount * 100) / total),
		resume: latestOpen ? { lessonId: latestOpen.id } : firstNotDone ? { lessonId: firstNotDone.id } : null,
		secondsSpent,
		complete,
		openAttempts,
		attemptHistory
	};
	if (complete) progress.finishedAt = sorted[finishedIndex]!.at;
	if (bestCount > 0) progress.bestOverallScore = bestSum / bestCount;
	return progress;
}
