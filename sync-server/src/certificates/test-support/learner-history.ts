/** A learner's events for certificate tests, written through the real event schema. */
import type { Answer, ProgressEvent } from '../../../../src/lib/progress-model/events.js';
import { attemptId, scribe, type ScribeOptions } from '../../../../src/lib/progress-model/test-support/history.js';
import { COURSE_ID, LEARNER_ID, RIGHT } from './course.js';

export { attemptId };

export interface QuizTake {
	attempt: number;
	answers: Record<string, Answer>;
	language?: string;
	/** The percent the phone claims in its submission (it may lie). */
	claimed?: number;
	/** The course version the attempt was started in. */
	version?: number;
}

export function learnerHistory(options: ScribeOptions = {}) {
	const s = scribe({ courseId: COURSE_ID, courseVersion: 2, learnerId: LEARNER_ID, ...options });
	const events: ProgressEvent[] = [];
	const add = (event: ProgressEvent) => {
		events.push(event);
		return event;
	};
	return {
		events,
		scribe: s,
		read(lessonId: string) {
			add(s.opened(lessonId));
			return add(s.completed(lessonId, lessonId === 'listen' ? 'listened' : 'read-to-end'));
		},
		/** Starts an attempt, saves each answer, submits; returns the submission. */
		quiz(lessonId: string, take: QuizTake) {
			const id = attemptId(take.attempt);
			const started = s.started(lessonId, id, 7, take.language ?? 'en');
			add(take.version === undefined ? started : { ...started, courseVersion: take.version });
			for (const [questionId, answer] of Object.entries(take.answers)) add(s.answered(lessonId, id, questionId, answer));
			return add(s.submitted(lessonId, id, take.claimed ?? 100, true));
		},
		/** Every lesson done, every quiz answered right, in English. Returns the last event. */
		completeCourse() {
			this.read('intro');
			this.read('listen');
			this.quiz('check', { attempt: 1, answers: RIGHT.check });
			return this.quiz('final', { attempt: 2, answers: RIGHT.final });
		}
	};
}
