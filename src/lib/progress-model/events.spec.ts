import { describe, expect, it } from 'vitest';
import {
	courseEventRange,
	MAX_ANSWER_BYTES,
	newAttemptId,
	newEvent,
	newSeed,
	parseEvent,
	ProgressError,
	PROGRESS_FORMAT_VERSION,
	type ProgressEvent
} from './events';
import { ulid, ULID_PATTERN, ulidTime } from './ids';
import { attemptId, scribe } from './test-support/history';

const zeros = (length: number) => new Uint8Array(length);
const ones = (length: number) => new Uint8Array(length).fill(0xff);

/** One event of every type, as stored (JSON round trip). */
function everyType(): ProgressEvent[] {
	const s = scribe();
	const attempt = attemptId(1);
	return [
		s.opened('welcome'),
		s.spent('welcome', 30),
		s.completed('welcome', 'read-to-end'),
		s.started('check-1', attempt, 42, 'hi'),
		s.answered('check-1', attempt, 'q1', { type: 'single', optionId: 'b' }),
		s.submitted('check-1', attempt, 70, true)
	].map((event) => JSON.parse(JSON.stringify(event)) as ProgressEvent);
}

const problemsOf = (value: unknown): string[] => {
	const parsed = parseEvent(value);
	return parsed.ok ? [] : parsed.problems;
};

const withField = (event: ProgressEvent, field: string, value: unknown) => ({ ...event, [field]: value });

describe('newEvent', () => {
	const source = { learnerId: 'learner-1', now: () => new Date('2025-03-01T09:30:00.000Z'), random: zeros };

	it('stamps the id, format, learner and time from its source', () => {
		const event = newEvent(source, { type: 'lesson-opened', courseId: 'essentials', courseVersion: 3, lessonId: 'welcome' });
		expect(event).toEqual({
			_id: `event:essentials:${ulid(Date.parse('2025-03-01T09:30:00.000Z'), zeros)}`,
			format: PROGRESS_FORMAT_VERSION,
			type: 'lesson-opened',
			learnerId: 'learner-1',
			courseId: 'essentials',
			courseVersion: 3,
			at: '2025-03-01T09:30:00.000Z',
			lessonId: 'welcome'
		});
		expect(ulidTime(event._id.slice('event:essentials:'.length))).toBe(Date.parse(event.at));
	});

	it('does not let the input override what the source stamps', () => {
		const input = { type: 'lesson-opened', courseId: 'essentials', courseVersion: 1, lessonId: 'welcome', at: '2000-01-01T00:00:00.000Z', learnerId: 'someone-else' };
		const event = newEvent(source, input as Parameters<typeof newEvent>[1]);
		expect(event.at).toBe('2025-03-01T09:30:00.000Z');
		expect(event.learnerId).toBe('learner-1');
	});

	it('refuses, before storing, an event the server would refuse', () => {
		const huge = { type: 'text', value: 'x'.repeat(MAX_ANSWER_BYTES) };
		const write = () =>
			newEvent(source, { type: 'answer-saved', courseId: 'essentials', courseVersion: 1, lessonId: 'check-1', attemptId: attemptId(1), questionId: 'q1', answer: huge });
		expect(write).toThrow(ProgressError);
		expect(write).toThrow(/answer: an answer is at most 8192 bytes of JSON/);
	});

	it('makes attempt ids and seeds', () => {
		expect(newAttemptId(source)).toBe(ulid(Date.parse('2025-03-01T09:30:00.000Z'), zeros));
		expect(newAttemptId({ now: source.now })).toMatch(ULID_PATTERN);
		expect(newSeed(ones)).toBe(2 ** 32 - 1);
		expect(newSeed(() => Uint8Array.from([1, 0, 0, 2]))).toBe(2 ** 24 + 2);
	});
});

describe('parseEvent', () => {
	it('accepts every event type as stored, and a revision', () => {
		for (const event of everyType()) expect(parseEvent(event), event.type).toEqual({ ok: true, value: event });
		const [opened] = everyType();
		expect(parseEvent({ ...opened, _rev: '1-0123abcd' }).ok).toBe(true);
	});

	it('refuses an unknown or missing type, saying which', () => {
		const [opened] = everyType();
		expect(problemsOf({ ...opened, type: 'lesson-deleted' })).toEqual(['type: unknown event type "lesson-deleted"']);
		expect(problemsOf({ ...opened, type: undefined })).toEqual(['type: unknown event type undefined']);
		expect(problemsOf({ ...opened, type: 'toString' })).toEqual(['type: unknown event type "toString"']);
	});

	it('refuses a format it does not know, saying so', () => {
		const [opened] = everyType();
		expect(problemsOf({ ...opened, format: 2 })).toEqual(['format: progress format 2 is not one this version of Sikho can read (it reads 1)']);
		expect(problemsOf({ ...opened, format: '1' })).toHaveLength(1);
	});

	it('refuses anything that is not an object', () => {
		for (const value of [null, 'event', 3, [], [everyType()[0]]]) expect(problemsOf(value)).toEqual(['event: an event is a JSON object']);
	});

	it('refuses extra fields, top-level and CouchDB specials (strict)', () => {
		for (const event of everyType()) {
			expect(problemsOf({ ...event, note: 'hi' }), event.type).toEqual(['event: Unrecognized key: "note"']);
		}
		const [opened] = everyType();
		expect(problemsOf({ ...opened, _deleted: true })).toEqual(['event: Unrecognized key: "_deleted"']);
		expect(problemsOf({ ...opened, _attachments: {} })).toEqual(['event: Unrecognized key: "_attachments"']);
		// A field of another event type is junk here.
		expect(problemsOf({ ...opened, seconds: 30 })).toEqual(['event: Unrecognized key: "seconds"']);
	});

	it('refuses a missing common field', () => {
		const [opened] = everyType();
		const { learnerId: _, ...withoutLearner } = opened!;
		expect(problemsOf(withoutLearner).some((p) => p.startsWith('learnerId:'))).toBe(true);
	});

	it('refuses times that are not exactly Date#toISOString()', () => {
		const [opened] = everyType();
		for (const at of [
			'2025-02-30T10:00:00.000Z',
			'2025-03-01T10:00:00Z',
			'2025-03-01T10:00:00.0000Z',
			'2025-03-01T10:00:00.000+05:30',
			'2025-03-01',
			'yesterday',
			'+012025-03-01T10:00:00.000Z',
			1_740_000_000_000
		]) {
			expect(problemsOf(withField(opened!, 'at', at)), String(at)).toEqual([expect.stringMatching(/^at: /)]);
		}
	});

	it('refuses ids that are not this course\'s "event:<courseId>:<ULID>"', () => {
		const [opened] = everyType();
		const ulidPart = opened!._id.split(':')[2]!;
		expect(problemsOf({ ...opened, _id: `event:other-course:${ulidPart}` })).toEqual([
			'_id: an event of course "procurement-essentials" has an id starting "event:procurement-essentials:"'
		]);
		for (const id of [`event:procurement-essentials:${ulidPart.toLowerCase()}`, ulidPart, `event:procurement-essentials:8${ulidPart.slice(1)}`, 'profile']) {
			expect(problemsOf({ ...opened, _id: id }), id).toEqual([expect.stringMatching(/^_id: /)]);
		}
	});

	it('bounds ids and names', () => {
		const [opened] = everyType();
		expect(problemsOf({ ...opened, learnerId: 'x'.repeat(101) })).toEqual([expect.stringMatching(/^learnerId: /)]);
		expect(problemsOf({ ...opened, learnerId: 'a b' })).toEqual([expect.stringMatching(/^learnerId: /)]);
		expect(problemsOf({ ...opened, lessonId: 'Welcome' })).toEqual([expect.stringMatching(/^lessonId: /)]);
		expect(problemsOf({ ...opened, courseVersion: 0 })).toEqual([expect.stringMatching(/^courseVersion: /)]);
		expect(problemsOf({ ...opened, courseVersion: 1.5 })).toEqual([expect.stringMatching(/^courseVersion: /)]);
	});

	it('bounds a batch of time to 1..3600 whole seconds', () => {
		const spent = everyType()[1]!;
		expect(parseEvent({ ...spent, seconds: 3600 }).ok).toBe(true);
		for (const seconds of [0, 3601, 1.5, -5, Number.POSITIVE_INFINITY]) {
			expect(problemsOf({ ...spent, seconds }), String(seconds)).toEqual([expect.stringMatching(/^seconds: /)]);
		}
	});

	it('checks a submission adds up', () => {
		const submitted = everyType()[5]!;
		expect(problemsOf({ ...submitted, correctCount: 11, total: 10 })).toEqual(['correctCount: more correct answers than questions']);
		expect(problemsOf({ ...submitted, percent: 100.5 })).toEqual([expect.stringMatching(/^percent: /)]);
		expect(problemsOf({ ...submitted, total: 0, correctCount: 0 })).toEqual([expect.stringMatching(/^total: /)]);
		expect(problemsOf({ ...submitted, attemptId: 'attempt-1' })).toEqual([expect.stringMatching(/^attemptId: /)]);
	});

	it('refuses a completion of a kind it does not know', () => {
		const completed = everyType()[2]!;
		expect(parseEvent({ ...completed, how: 'listened' }).ok).toBe(true);
		expect(problemsOf({ ...completed, how: 'skimmed' })).toEqual([expect.stringMatching(/^how: /)]);
	});

	describe('answers: opaque JSON with a type, bounded', () => {
		const saved = () => everyType()[4]!;
		const answerProblems = (answer: unknown) => problemsOf({ ...saved(), answer });

		it('accepts any JSON object with a type', () => {
			for (const answer of [
				{ type: 'single', optionId: 'b' },
				{ type: 'matching', pairs: { a: 'x', b: 'y' } },
				{ type: 'ordering', order: ['c', 'a', 'b'] },
				{ type: 'numeric', value: -2.5 },
				{ type: 'some-future-type', nested: { list: [1, null, true, 'x'] } }
			]) {
				expect(answerProblems(answer), JSON.stringify(answer)).toEqual([]);
			}
		});

		it('refuses an answer over the size limit, counting UTF-8 bytes', () => {
			expect(answerProblems({ type: 'text', value: 'x'.repeat(MAX_ANSWER_BYTES) })).toEqual(['answer: an answer is at most 8192 bytes of JSON']);
			// 2,000 Devanagari letters are 6,000 bytes: fine. 3,000 are 9,000 bytes though only 3,000 characters.
			expect(answerProblems({ type: 'text', value: 'क'.repeat(2000) })).toEqual([]);
			expect(answerProblems({ type: 'text', value: 'क'.repeat(3000) })).toEqual(['answer: an answer is at most 8192 bytes of JSON']);
			// Characters outside the BMP are 4 bytes: 2,100 of them are 8,400.
			expect(answerProblems({ type: 'text', value: '😀'.repeat(2000) })).toEqual([]);
			expect(answerProblems({ type: 'text', value: '😀'.repeat(2100) })).toEqual(['answer: an answer is at most 8192 bytes of JSON']);
		});

		it('refuses what is not a typed JSON object', () => {
			expect(answerProblems('b')).toEqual(['answer: an answer is a JSON object']);
			expect(answerProblems(['b'])).toEqual(['answer: an answer is a JSON object']);
			expect(answerProblems(null)).toEqual(['answer: an answer is a JSON object']);
			expect(answerProblems({ optionId: 'b' })).toEqual(['answer: an answer has a "type" of up to 40 lower-case letters, digits and dashes']);
			expect(answerProblems({ type: 'Single' })).toEqual(['answer: an answer has a "type" of up to 40 lower-case letters, digits and dashes']);
			expect(answerProblems({ type: 'x'.repeat(41) })).toEqual(['answer: an answer has a "type" of up to 40 lower-case letters, digits and dashes']);
		});

		it('refuses values JSON cannot carry (as the app might hand them over)', () => {
			expect(answerProblems({ type: 'numeric', value: Number.NaN })).toEqual(['answer: an answer holds only finite numbers']);
			expect(answerProblems({ type: 'numeric', value: Number.POSITIVE_INFINITY })).toEqual(['answer: an answer holds only finite numbers']);
			expect(answerProblems({ type: 'text', value: undefined })).toEqual(['answer: an answer holds only JSON values']);
			expect(answerProblems({ type: 'text', value: new Date(0) })).toEqual(['answer: an answer holds only JSON values']);
		});

		it('refuses deep nesting and too many values without walking them all', () => {
			let deep: unknown = 'bottom';
			for (let i = 0; i < 100_000; i++) deep = [deep];
			expect(answerProblems({ type: 'x', deep })).toEqual(['answer: an answer nests at most 4 levels']);
			expect(answerProblems({ type: 'x', a: [[['ok']]] })).toEqual([]);
			expect(answerProblems({ type: 'x', many: Array.from({ length: 600 }, () => 0) })).toEqual(['answer: an answer holds at most 500 values']);
		});
	});
});

describe('courseEventRange', () => {
	it("holds exactly one course's events, whatever ids sort next to it", () => {
		const courses = ['a', 'a-b', 'ab', 'b', 'essentials'];
		const ids = courses.flatMap((courseId) => {
			const s = scribe({ courseId });
			return [0, 1, 2].map(() => s.opened('welcome')._id);
		});
		const all = [...ids, 'profile', '_design/x', 'event:', 'event:a;'].sort();
		const { startkey, endkey } = courseEventRange('a');
		expect(all.filter((id) => id >= startkey && id <= endkey)).toEqual(ids.filter((id) => id.startsWith('event:a:')).sort());
		expect(all.filter((id) => id >= startkey && id <= endkey)).toHaveLength(3);
	});

	it("sorts one writer's ids in the order the events were written", () => {
		const s = scribe();
		const events = [s.opened('welcome'), s.opened('welcome'), s.wait(-5000).spent('welcome', 5), s.completed('welcome')];
		const ids = events.map((e) => e._id);
		expect([...ids].sort()).toEqual(ids);
	});
});
