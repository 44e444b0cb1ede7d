import { describe, expect, it } from 'vitest';
import { sampleManifest } from '../course-format/test-support/sample-bundle';
import { courseEventRange, courseProgress, type CourseOutline } from './derive';
import type { ProgressEvent } from './events';
import { attemptId, scribe, seededRandom, shuffled } from './test-support/history';

const course: CourseOutline = {
	id: 'procurement-essentials',
	passMark: 60,
	modules: [
		{
			id: 'principles',
			lessons: [
				{ id: 'welcome', kind: 'text' },
				{ id: 'listen', kind: 'audio' },
				{ id: 'check-1', kind: 'quiz', passMark: 80 }
			]
		},
		{
			id: 'methods',
			lessons: [
				{ id: 'tenders', kind: 'text' },
				{ id: 'final', kind: 'quiz' }
			]
		}
	]
};
const LESSONS = ['welcome', 'listen', 'check-1', 'tenders', 'final'];

const A1 = attemptId(1);
const A2 = attemptId(2);
const A3 = attemptId(3);

/** Some of everything: a completion, time, a failed attempt, an attempt under way. */
function richHistory(s = scribe()): ProgressEvent[] {
	return [
		s.opened('welcome'),
		s.spent('welcome', 60),
		s.completed('welcome'),
		s.opened('listen'),
		s.spent('listen', 120),
		s.opened('check-1'),
		s.started('check-1', A1, 11, 'hi'),
		s.answered('check-1', A1, 'q1', { type: 'single', optionId: 'a' }),
		s.answered('check-1', A1, 'q1', { type: 'single', optionId: 'b' }),
		s.submitted('check-1', A1, 50),
		s.started('check-1', A2, 22, 'hi'),
		s.answered('check-1', A2, 'q1', { type: 'single', optionId: 'c' }),
		s.answered('check-1', A2, 'q2', { type: 'true-false', value: true }),
		s.opened('tenders'),
		s.spent('tenders', 30)
	];
}

/** Every lesson done and every quiz passed, the last pass at the end. */
function finishedHistory(s = scribe()): ProgressEvent[] {
	return [
		s.opened('welcome'),
		s.completed('welcome'),
		s.opened('listen'),
		s.completed('listen', 'listened'),
		s.opened('check-1'),
		s.started('check-1', A1),
		s.submitted('check-1', A1, 90),
		s.opened('tenders'),
		s.completed('tenders'),
		s.opened('final'),
		s.started('final', A2),
		s.submitted('final', A2, 40),
		s.started('final', A3),
		s.submitted('final', A3, 70)
	];
}

describe('courseProgress', () => {
	it('starts with nothing done and the first lesson to resume', () => {
		expect(courseProgress(course, [])).toEqual({
			lessons: Object.fromEntries(LESSONS.map((id) => [id, { opened: false, done: false, attempts: 0 }])),
			doneCount: 0,
			total: 5,
			percent: 0,
			resume: { lessonId: 'welcome' },
			secondsSpent: 0,
			complete: false,
			openAttempts: {},
			attemptHistory: { 'check-1': [], final: [] }
		});
	});

	it('derives a partly done course', () => {
		const history = richHistory();
		const atOf = (i: number) => history[i]!.at;
		expect(courseProgress(course, history)).toEqual({
			lessons: {
				welcome: { opened: true, done: true, attempts: 0 },
				listen: { opened: true, done: false, attempts: 0 },
				'check-1': { opened: true, done: true, bestPercent: 50, passed: false, attempts: 1 },
				tenders: { opened: true, done: false, attempts: 0 },
				final: { opened: false, done: false, attempts: 0 }
			},
			doneCount: 2,
			total: 5,
			percent: 40,
			resume: { lessonId: 'tenders' },
			secondsSpent: 210,
			complete: false,
			bestOverallScore: 50,
			openAttempts: {
				'check-1': {
					attemptId: A2,
					seed: 22,
					language: 'hi',
					answers: { q1: { type: 'single', optionId: 'c' }, q2: { type: 'true-false', value: true } },
					startedAt: atOf(10)
				}
			},
			attemptHistory: { 'check-1': [{ attemptId: A1, percent: 50, passed: false, at: atOf(9) }], final: [] }
		});
	});

	it('counts each event once, however often it arrives', () => {
		const history = richHistory();
		const once = courseProgress(course, history);
		const thrice = courseProgress(course, [...history, ...history.map((e) => structuredClone(e)), ...history.slice(3)]);
		expect(thrice).toEqual(once);
		expect(thrice.secondsSpent).toBe(210);
		expect(thrice.lessons['check-1']!.attempts).toBe(1);
	});

	it('gives the same state whatever order the events arrive in', () => {
		const random = seededRandom(42);
		for (const history of [richHistory(), finishedHistory()]) {
			const sorted = courseProgress(course, history);
			for (let i = 0; i < 25; i++) expect(courseProgress(course, shuffled(history, random))).toEqual(sorted);
			expect(courseProgress(course, [...history].reverse())).toEqual(sorted);
		}
	});

	it('keeps one of two different documents under one id by their content, not their arrival', () => {
		const [opened] = richHistory();
		const edited = { ...opened!, lessonId: 'tenders', at: opened!.at };
		const later = { ...opened!, at: '2030-01-01T00:00:00.000Z', lessonId: 'listen' };
		for (const events of [
			[opened!, edited, later],
			[later, edited, opened!],
			[edited, later, opened!]
		]) {
			// The earlier wins, then the lesser JSON: the two at the same time differ only in "tenders" < "welcome".
			expect(courseProgress(course, events).resume).toEqual({ lessonId: 'tenders' });
		}
	});

	describe('resume', () => {
		it('is the most recently opened lesson that is not done', () => {
			const s = scribe();
			expect(courseProgress(course, [s.opened('tenders'), s.opened('listen')]).resume).toEqual({ lessonId: 'listen' });
			const t = scribe();
			const history = [t.opened('welcome'), t.opened('tenders'), t.opened('listen'), t.completed('listen', 'listened')];
			expect(courseProgress(course, history).resume).toEqual({ lessonId: 'tenders' });
		});

		it('goes by when a lesson was opened, not by when the event arrived', () => {
			const s = scribe();
			const early = s.at('2025-03-01T08:00:00.000Z').opened('tenders');
			const late = s.at('2025-03-02T08:00:00.000Z').opened('listen');
			expect(courseProgress(course, [late, early]).resume).toEqual({ lessonId: 'listen' });
		});

		it('is the first lesson not done, in course order, when every opened lesson is done', () => {
			const s = scribe();
			const history = [s.opened('tenders'), s.completed('tenders'), s.opened('welcome'), s.completed('welcome')];
			expect(courseProgress(course, history).resume).toEqual({ lessonId: 'listen' });
		});

		it('is null when every lesson is done (even with a quiz not passed)', () => {
			const s = scribe();
			const history = [...finishedHistory(s), s.opened('welcome')];
			expect(courseProgress(course, history).resume).toBeNull();
			const failed = finishedHistory().filter((e) => !(e.type === 'quiz-submitted' && e.percent === 70));
			expect(courseProgress(course, failed).resume).toBeNull();
		});
	});

	describe('quizzes', () => {
		it("pass by the lesson's own mark, else the course's, not by the phone's verdict", () => {
			const s = scribe();
			const history = [
				// 70 is under check-1's 80, though the phone (with an older mark) said passed.
				s.started('check-1', A1),
				s.submitted('check-1', A1, 70, true),
				// 65 reaches the course's 60, though the phone said failed.
				s.started('final', A2),
				s.submitted('final', A2, 65, false)
			];
			const progress = courseProgress(course, history);
			expect(progress.lessons['check-1']).toEqual({ opened: true, done: true, bestPercent: 70, passed: false, attempts: 1 });
			expect(progress.lessons.final).toEqual({ opened: true, done: true, bestPercent: 65, passed: true, attempts: 1 });
			expect(progress.attemptHistory['check-1']![0]!.passed).toBe(false);
			expect(progress.attemptHistory.final![0]!.passed).toBe(true);
			expect(courseProgress({ ...course, passMark: 66 }, history).lessons.final!.passed).toBe(false);
			expect(courseProgress({ ...course, passMark: 65 }, history).lessons.final!.passed).toBe(true);
		});

		it('keeps every attempt in order with the best, counting a repeated submission once', () => {
			const s = scribe();
			const history = [
				s.started('final', A1),
				s.submitted('final', A1, 40),
				s.submitted('final', A1, 100), // the same attempt again (a retried write): not a second attempt
				s.started('final', A2),
				s.submitted('final', A2, 80),
				s.started('final', A3),
				s.submitted('final', A3, 60)
			];
			const progress = courseProgress(course, history);
			expect(progress.attemptHistory.final).toEqual([
				{ attemptId: A1, percent: 40, passed: false, at: history[1]!.at },
				{ attemptId: A2, percent: 80, passed: true, at: history[4]!.at },
				{ attemptId: A3, percent: 60, passed: true, at: history[6]!.at }
			]);
			expect(progress.lessons.final).toEqual({ opened: true, done: true, bestPercent: 80, passed: true, attempts: 3 });
		});

		it('counts a quiz done only by a submission, and ignores quiz events on other lessons', () => {
			const s = scribe();
			const history = [s.completed('check-1', 'quiz-submitted'), s.started('tenders', A1), s.submitted('tenders', A1, 100)];
			const progress = courseProgress(course, history);
			expect(progress.lessons['check-1']!.done).toBe(false);
			expect(progress.lessons.tenders).toEqual({ opened: false, done: false, attempts: 0 });
			expect(progress.doneCount).toBe(0);
			expect(progress.openAttempts).toEqual({});
		});
	});

	describe('open attempts', () => {
		it('hold the latest answer per question by when it was saved, whatever order it arrived in', () => {
			const s = scribe();
			const started = s.started('check-1', A1);
			const first = s.at('2025-03-01T10:00:00.000Z').answered('check-1', A1, 'q1', { type: 'single', optionId: 'a' });
			const second = s.at('2025-03-01T10:05:00.000Z').answered('check-1', A1, 'q1', { type: 'single', optionId: 'b' });
			const other = s.answered('check-1', A1, 'q2', { type: 'text', value: 'open tender' });
			for (const order of [
				[started, first, second, other],
				[second, other, first, started]
			]) {
				expect(courseProgress(course, order).openAttempts['check-1']!.answers).toEqual({
					q1: { type: 'single', optionId: 'b' },
					q2: { type: 'text', value: 'open tender' }
				});
			}
		});

		it('break a tie of times by id', () => {
			const s = scribe();
			const started = s.started('check-1', A1);
			const a = s.at('2025-03-01T10:00:00.000Z').answered('check-1', A1, 'q1', { type: 'single', optionId: 'a' });
			const b = s.at('2025-03-01T10:00:00.000Z').answered('check-1', A1, 'q1', { type: 'single', optionId: 'b' });
			expect(a.at).toBe(b.at);
			expect(b._id > a._id).toBe(true); // one writer's ids increase within a millisecond
			expect(courseProgress(course, [started, b, a]).openAttempts['check-1']!.answers.q1).toEqual({ type: 'single', optionId: 'b' });
		});

		it('close when submitted', () => {
			const s = scribe();
			const history = [s.started('check-1', A1), s.answered('check-1', A1, 'q1', { type: 'single', optionId: 'a' })];
			expect(Object.keys(courseProgress(course, history).openAttempts)).toEqual(['check-1']);
			const submitted = s.submitted('check-1', A1, 90);
			expect(courseProgress(course, [...history, submitted]).openAttempts).toEqual({});
			// Even when the submission's clock reads earlier than the start.
			const skewed = { ...submitted, at: '2020-01-01T00:00:00.000Z' };
			expect(courseProgress(course, [...history, skewed]).openAttempts).toEqual({});
		});

		it('are only the latest attempt: a new start leaves an older one behind', () => {
			const s = scribe();
			const history = [
				s.started('check-1', A1, 1),
				s.answered('check-1', A1, 'q1', { type: 'single', optionId: 'a' }),
				s.started('check-1', A2, 2, 'en'),
				s.answered('check-1', A2, 'q2', { type: 'single', optionId: 'd' })
			];
			expect(courseProgress(course, history).openAttempts).toEqual({
				'check-1': { attemptId: A2, seed: 2, language: 'en', answers: { q2: { type: 'single', optionId: 'd' } }, startedAt: history[2]!.at }
			});
			const thenSubmitted = [...history, s.submitted('check-1', A2, 90)];
			expect(courseProgress(course, thenSubmitted).openAttempts).toEqual({}); // A1 was abandoned, not reopened
		});

		it("never mix another attempt's or another lesson's answers", () => {
			const s = scribe();
			const history = [
				s.started('check-1', A1),
				s.started('final', A2),
				s.answered('final', A2, 'q1', { type: 'single', optionId: 'z' }),
				s.answered('check-1', A2, 'q1', { type: 'single', optionId: 'y' }), // names final's attempt under check-1
				s.answered('check-1', A3, 'q1', { type: 'single', optionId: 'x' }), // an attempt never started
				s.answered('check-1', A1, 'q2', { type: 'single', optionId: 'a' })
			];
			const progress = courseProgress(course, history);
			expect(progress.openAttempts['check-1']!.answers).toEqual({ q2: { type: 'single', optionId: 'a' } });
			expect(progress.openAttempts.final!.answers).toEqual({ q1: { type: 'single', optionId: 'z' } });
		});
	});

	describe('completion', () => {
		it('is every lesson done and every quiz passed, finished at the event that did it', () => {
			const history = finishedHistory();
			const progress = courseProgress(course, history);
			expect(progress.complete).toBe(true);
			expect(progress.finishedAt).toBe(history.at(-1)!.at);
			expect(progress.percent).toBe(100);
			expect(progress.doneCount).toBe(5);
			expect(progress.bestOverallScore).toBe(80); // (90 + 70) / 2
		});

		it('finishes at the last lesson to count, whichever kind it is', () => {
			const s = scribe();
			const history = finishedHistory(s).filter((e) => !(e.type === 'lesson-completed' && e.lessonId === 'tenders'));
			const last = s.completed('tenders');
			expect(courseProgress(course, [last, ...history]).finishedAt).toBe(last.at);
			// A later pass does not move the finish, nor does a repeated completion.
			const after = [...finishedHistory(scribe()), scribe({ start: '2026-01-01T00:00:00.000Z' }).completed('welcome')];
			expect(courseProgress(course, after).finishedAt).toBe(finishedHistory()[13]!.at);
		});

		it('is not reached with a quiz done but not passed, though every lesson is done', () => {
			const failed = finishedHistory().filter((e) => !(e.type === 'quiz-submitted' && e.percent === 70));
			const progress = courseProgress(course, failed);
			expect(progress.percent).toBe(100);
			expect(progress.lessons.final).toEqual({ opened: true, done: true, bestPercent: 40, passed: false, attempts: 1 });
			expect(progress.complete).toBe(false);
			expect(progress.finishedAt).toBeUndefined();
			expect(progress.bestOverallScore).toBe(65);
		});

		it('rounds the percent down, so 100 means all done', () => {
			const big: CourseOutline = { id: course.id, passMark: 60, modules: [{ id: 'm', lessons: Array.from({ length: 200 }, (_, i) => ({ id: `l-${i}`, kind: 'text' as const })) }] };
			const s = scribe();
			const history = Array.from({ length: 199 }, (_, i) => s.completed(`l-${i}`));
			expect(courseProgress(big, history).percent).toBe(99);
			expect(courseProgress(big, history.slice(0, 1)).percent).toBe(0);
		});
	});

	describe('what does not belong', () => {
		it('ignores lessons the course no longer has and other courses', () => {
			const s = scribe({ courseVersion: 1 });
			const other = scribe({ courseId: 'another-course' });
			const history = richHistory(s);
			const extra = [
				s.opened('dropped-lesson'),
				s.spent('dropped-lesson', 500),
				s.completed('dropped-lesson'),
				s.started('dropped-lesson', A3),
				s.submitted('dropped-lesson', A3, 100),
				other.opened('welcome'),
				other.spent('welcome', 900),
				other.completed('listen', 'listened'),
				other.submitted('final', A3, 100)
			];
			expect(courseProgress(course, [...history, ...extra])).toEqual(courseProgress(course, history));
		});

		it('counts events from older versions of the course', () => {
			const old = scribe({ courseVersion: 1 });
			const current = scribe({ courseVersion: 2, start: '2025-04-01T00:00:00.000Z' });
			const progress = courseProgress(course, [old.completed('welcome'), current.completed('listen', 'listened')]);
			expect(progress.doneCount).toBe(2);
		});

		it('takes a real course manifest as it is', async () => {
			const manifest = await sampleManifest();
			const s = scribe({ courseId: manifest.id });
			const progress = courseProgress(manifest, [s.completed('intro'), s.started('check', A1), s.submitted('check', A1, 70)]);
			expect(progress.lessons).toEqual({
				intro: { opened: true, done: true, attempts: 0 },
				listen: { opened: false, done: false, attempts: 0 },
				check: { opened: true, done: true, bestPercent: 70, passed: true, attempts: 1 }
			});
			expect(progress.resume).toEqual({ lessonId: 'listen' });
		});
	});

	it('is re-exported with the range that reads one course', () => {
		expect(courseEventRange('procurement-essentials')).toEqual({ startkey: 'event:procurement-essentials:', endkey: 'event:procurement-essentials:\ufff0' });
	});
});
