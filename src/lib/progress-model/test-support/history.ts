/**
 * Writing learner histories for tests and the benchmark: a seeded random source, and a scribe
 * that writes real events (through `newEvent`) with a clock that moves one second per event.
 */
import { newEvent, type Answer, type CompletionKind, type EventSource } from '../events.js';
import { monotonicUlid, type RandomBytes } from '../ids.js';

/** Mulberry32: small, fast, and the same bytes for the same seed everywhere. */
export function seededRandom(seed: number): RandomBytes & { next(): number } {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
	};
	const bytes = (length: number) => Uint8Array.from({ length }, () => Math.floor(next() * 256));
	return Object.assign(bytes, { next });
}

/** A copy in a random order (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], random: { next(): number }): T[] {
	const copy = [...items];
	for (let i = copy.length - 1; i > 0; i--) {
		const j = Math.floor(random.next() * (i + 1));
		[copy[i], copy[j]] = [copy[j]!, copy[i]!];
	}
	return copy;
}

export interface ScribeOptions {
	courseId?: string;
	courseVersion?: number;
	learnerId?: string;
	start?: string;
	seed?: number;
}

export function scribe(options: ScribeOptions = {}) {
	const courseId = options.courseId ?? 'procurement-essentials';
	const courseVersion = options.courseVersion ?? 1;
	let time = Date.parse(options.start ?? '2025-03-01T09:00:00.000Z');
	const random = seededRandom(options.seed ?? 1);
	const source: EventSource = { learnerId: options.learnerId ?? 'learner-1', now: () => new Date(time), random, ulid: monotonicUlid(random) };
	const base = { courseId, courseVersion };
	const after = <T>(event: T): T => {
		time += 1000;
		return event;
	};
	return {
		source,
		random,
		/** Sets the clock (ISO time) for the next event. */
		at(iso: string) {
			time = Date.parse(iso);
			return this;
		},
		/** Moves the clock on. */
		wait(ms: number) {
			time += ms;
			return this;
		},
		opened: (lessonId: string) => after(newEvent(source, { ...base, type: 'lesson-opened', lessonId })),
		completed: (lessonId: string, how: CompletionKind = 'read-to-end') => after(newEvent(source, { ...base, type: 'lesson-completed', lessonId, how })),
		spent: (lessonId: string, seconds: number) => after(newEvent(source, { ...base, type: 'time-spent', lessonId, seconds })),
		started: (lessonId: string, attemptId: string, seed = 7, language = 'en') =>
			after(newEvent(source, { ...base, type: 'attempt-started', lessonId, attemptId, seed, language })),
		answered: (lessonId: string, attemptId: string, questionId: string, answer: Answer) =>
			after(newEvent(source, { ...base, type: 'answer-saved', lessonId, attemptId, questionId, answer })),
		submitted: (lessonId: string, attemptId: string, percent: number, passed = percent >= 60) =>
			after(
				newEvent(source, {
					...base,
					type: 'quiz-submitted',
					lessonId,
					attemptId,
					correctCount: Math.round(percent / 10),
					total: 10,
					percent,
					passed
				})
			)
	};
}

/** Attempt ids for tests: valid ULIDs that say which attempt they are. */
export const attemptId = (n: number) => `01JN${String(n).padStart(22, '0')}`;
