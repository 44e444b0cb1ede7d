/**
 * Deriving a learner's progress from their events (src/lib/progress-model/derive.ts), which the
 * app does every time it shows a course: a 50-lesson course (10 quizzes of 10 questions) and a
 * realistic 5,000-event history — lessons opened and revisited, time in 30-second batches,
 * answers chosen and changed, failed and passed attempts, one attempt under way — handed over
 * in shuffled order, as replication from two phones can. Measured here in Node; the figure for
 * the record, on a slowed phone-like CPU, is measured in Chromium elsewhere.
 */
import { courseProgress, type CourseOutline } from '../src/lib/progress-model/derive';
import { newAttemptId, parseEvent, type ProgressEvent } from '../src/lib/progress-model/events';
import { scribe, shuffled } from '../src/lib/progress-model/test-support/history';
import { median, type BenchRow } from './table';

const EVENTS = 5000;
const RUNS = 30;
const WARM_UPS = 5;
const BUDGET_MS = 50;

const course: CourseOutline = {
	id: 'fifty-lessons',
	passMark: 70,
	modules: Array.from({ length: 10 }, (_, m) => ({
		id: `module-${m + 1}`,
		lessons: Array.from({ length: 5 }, (_, l) => {
			const n = m * 5 + l + 1;
			return l === 4 ? { id: `lesson-${n}`, kind: 'quiz' as const, passMark: m % 3 === 0 ? 80 : undefined } : { id: `lesson-${n}`, kind: l === 2 ? ('audio' as const) : ('text' as const) };
		})
	}))
};

/** A learner working through the course over some weeks, then revisiting it, to exactly `EVENTS` events. */
function history(): ProgressEvent[] {
	const s = scribe({ courseId: course.id, seed: 2025 });
	const random = s.random;
	const events: ProgressEvent[] = [];
	const chance = (p: number) => random.next() < p;
	const between = (low: number, high: number) => low + Math.floor(random.next() * (high - low + 1));
	const visit = (lessonId: string, minutes: number) => {
		events.push(s.opened(lessonId));
		for (let batch = 0; batch < minutes * 2; batch++) events.push(s.wait(29_000).spent(lessonId, 30));
	};
	const attempt = (lessonId: string, submit: boolean) => {
		const attemptId = newAttemptId(s.source);
		events.push(s.started(lessonId, attemptId, between(0, 2 ** 32 - 1), 'en'));
		for (let q = 1; q <= 10; q++) {
			events.push(s.answered(lessonId, attemptId, `q${q}`, { type: 'single', optionId: `option-${between(1, 4)}` }));
			if (chance(0.3)) events.push(s.answered(lessonId, attemptId, `q${q}`, { type: 'single', optionId: `option-${between(1, 4)}` }));
		}
		if (submit) {
			const correct = between(4, 10);
			events.push(s.submitted(lessonId, attemptId, correct * 10, correct >= 7));
		}
	};

	const lessons = course.modules.flatMap((module) => module.lessons);
	for (const [i, lesson] of lessons.entries()) {
		if (i === lessons.length - 1) {
			visit(lesson.id, 2);
			attempt(lesson.id, false); // under way
			break;
		}
		s.wait(between(1, 48) * 3_600_000); // the next session
		if (lesson.kind === 'quiz') {
			visit(lesson.id, 1);
			for (let tries = 0; tries < 3; tries++) attempt(lesson.id, true);
		} else {
			visit(lesson.id, between(4, 12));
			if (chance(0.4)) visit(lesson.id, between(2, 6)); // came back to it
			events.push(s.completed(lesson.id, lesson.kind === 'audio' ? 'listened' : 'read-to-end'));
		}
	}
	// Revision sessions until the history is the size we measure.
	while (events.length < EVENTS) {
		s.wait(between(1, 72) * 3_600_000);
		const lesson = lessons[between(0, lessons.length - 2)]!;
		visit(lesson.id, between(2, 8));
	}
	return shuffled(events.slice(0, EVENTS), random);
}


function timed(runs: number, warmUps: number, work: () => unknown): number {
	for (let i = 0; i < warmUps; i++) work();
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		work();
		times.push(performance.now() - start);
	}
	return median(times);
}

export async function progressDerive(): Promise<BenchRow[]> {
	const events = history();
	const stored = JSON.parse(JSON.stringify(events)) as unknown[];
	const result = courseProgress(course, events);
	const derive = timed(RUNS, WARM_UPS, () => courseProgress(course, events));
	const parse = timed(10, 2, () => stored.map(parseEvent));
	return [
		{
			benchmark: `Progress derived from ${EVENTS.toLocaleString('en')} events, 50-lesson course`,
			measured: `${derive.toFixed(2)} ms`,
			budget: `≤ ${BUDGET_MS} ms`,
			verdict: derive <= BUDGET_MS ? 'met' : 'over',
			notes: `Node ${process.version}, median of ${RUNS} runs after ${WARM_UPS} warm-ups, events shuffled; ${result.doneCount}/${result.total} lessons done. recording an event is measured in Chromium (record-event.ts)`
		},
		{
			benchmark: `Checking ${EVENTS.toLocaleString('en')} stored events (parseEvent)`,
			measured: `${parse.toFixed(1)} ms`,
			budget: '—',
			verdict: 'info',
			notes: 'Node, median of 10 runs; what reading a course from PouchDB costs on top, and the server per 5,000 uploads'
		}
	];
}
