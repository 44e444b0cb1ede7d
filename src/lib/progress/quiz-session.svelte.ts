/**
 * One learner at one quiz: the open attempt (resumed with its answers after a closed tab), each
 * answer saved the moment it is chosen, submission with the shared scoring function, and the
 * attempts so far. The screen shows this state; only this module writes events for it.
 */
import type { Quiz } from '$lib/course-format/quiz';
import { answerSchema, checkAnswerShape, type Answer, type AnswerProblem } from '$lib/quiz/answer';
import type { Question } from '$lib/course-format/quiz';
import { scoreAttempt, type AttemptScore } from '$lib/quiz/score';
import { newAttemptId, newSeed } from '$lib/progress-model/events';
import { courseProgress, type CourseOutline } from '$lib/progress-model/derive';
import type { Recorder } from './learner-progress';

export interface QuizTarget {
	course: CourseOutline & { version: number };
	lessonId: string;
	language: string;
	quiz: Quiz;
	/** The lesson's pass mark, else the course's. */
	passMark: number;
}

export interface OpenAttempt {
	attemptId: string;
	seed: number;
	answers: Record<string, Answer>;
}

export interface PastAttempt {
	attemptId: string;
	percent: number;
	passed: boolean;
	at: string;
}

export class QuizSession {
	attempt = $state<OpenAttempt>();
	/** The attempt just submitted, with its answers, for the results screen. */
	submitted = $state<{ score: AttemptScore; answers: Record<string, Answer>; seed: number }>();
	/** Starting or submitting: a second tap meanwhile does nothing (no duplicate attempt or submission). */
	busy = $state(false);
	/** Writes in the order they were asked for: a submission waits for every answer before it. */
	private queue: Promise<unknown> = Promise.resolve();
	history = $state<PastAttempt[]>([]);
	loaded = $state(false);
	/** True when the last write failed (storage full): the screen says so; nothing is pretended. */
	saveFailed = $state(false);

	constructor(
		private readonly recorder: Recorder,
		private readonly target: QuizTarget
	) {}

	private get common() {
		return { courseId: this.target.course.id, courseVersion: this.target.course.version, lessonId: this.target.lessonId };
	}

	async load(): Promise<void> {
		const progress = courseProgress(this.target.course, await this.recorder.courseEvents(this.target.course.id));
		const open = progress.openAttempts[this.target.lessonId];
		// An attempt begun in another language shows other texts: start afresh rather than mix them.
		this.attempt = open && open.language === this.target.language ? { attemptId: open.attemptId, seed: open.seed, answers: this.validAnswers(open.answers) } : undefined;
		this.history = [...(progress.attemptHistory[this.target.lessonId] ?? [])];
		this.loaded = true;
	}

	async start(): Promise<void> {
		if (this.busy) return;
		this.busy = true;
		try {
			const attempt: OpenAttempt = { attemptId: newAttemptId({ now: () => new Date() }), seed: newSeed(), answers: {} };
			await this.write({ ...this.common, type: 'attempt-started', attemptId: attempt.attemptId, seed: attempt.seed, language: this.target.language });
			this.submitted = undefined;
			this.attempt = attempt;
		} finally {
			this.busy = false;
		}
	}

	/** Saves one answer at once. An answer of the wrong shape is refused with a reason, not stored. */
	async answer(questionId: string, value: unknown): Promise<AnswerProblem | undefined> {
		const attempt = this.attempt;
		const question = this.target.quiz.questions.find((q) => q.id === questionId);
		if (!attempt || !question) return 'malformed';
		const checked = storable(question, value);
		if (!checked.ok) return checked.problem;
		// Shown as answered once it is on the phone's disk, so "saved" on screen is never a promise.
		await this.write({ ...this.common, type: 'answer-saved', attemptId: attempt.attemptId, questionId, answer: checked.answer }, () => {
			attempt.answers = { ...attempt.answers, [questionId]: checked.answer };
		});
		return undefined;
	}

	async submit(): Promise<AttemptScore | undefined> {
		const attempt = this.attempt;
		if (!attempt || this.busy) return undefined;
		this.busy = true;
		try {
			// An answer chosen just before the tap is still being written: score it too.
			await this.queue;
			const score = scoreAttempt({ passMark: this.target.passMark, questions: this.target.quiz.questions, language: this.target.language }, attempt.answers);
			const { correctCount, total, percent, passed } = score;
			await this.write({ ...this.common, type: 'quiz-submitted', attemptId: attempt.attemptId, correctCount, total, percent, passed });
			this.submitted = { score, answers: attempt.answers, seed: attempt.seed };
			this.attempt = undefined;
			this.history = [...this.history, { attemptId: attempt.attemptId, percent, passed, at: new Date().toISOString() }];
			return score;
		} finally {
			this.busy = false;
		}
	}

	/** The pass mark this quiz is scored against (the lesson's, else the course's). */
	get passMark(): number {
		return this.target.passMark;
	}

	/** Queues one write; `then` runs as part of it, so whatever waits for the queue sees its effect. */
	private async write(input: Parameters<Recorder['record']>[0], then?: () => void): Promise<void> {
		const written = this.queue.then(async () => {
			await this.recorder.record(input);
			then?.();
		});
		this.queue = written.catch(() => undefined);
		try {
			await written;
			this.saveFailed = false;
		} catch (error) {
			this.saveFailed = true;
			throw error;
		}
	}

	/** Stored answers are untrusted (synced, or from an older quiz version): keep only those that still fit. */
	private validAnswers(answers: Record<string, unknown>): Record<string, Answer> {
		const valid: Record<string, Answer> = {};
		for (const question of this.target.quiz.questions) {
			if (!Object.hasOwn(answers, question.id)) continue;
			const checked = storable(question, answers[question.id]);
			if (checked.ok) valid[question.id] = checked.answer;
		}
		return valid;
	}
}

/**
 * An answer worth keeping: a whole one, or one on its way (some pairs matched, some options
 * ticked), so a closed tab keeps half-finished work too. Scoring counts only whole answers right.
 */
function storable(question: Question, value: unknown): { ok: true; answer: Answer } | { ok: false; problem: AnswerProblem } {
	const checked = checkAnswerShape(question, value);
	if (checked.ok || checked.problem !== 'incomplete') return checked;
	const parsed = answerSchema.safeParse(value);
	return parsed.success ? { ok: true, answer: parsed.data } : checked;
}

/** Whether a question has a whole answer (what "answered" counts). */
export function isAnswered(question: Question, answer: Answer | undefined): boolean {
	return answer !== undefined && checkAnswerShape(question, answer).ok;
}
