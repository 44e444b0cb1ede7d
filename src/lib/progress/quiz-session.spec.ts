import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { quizSchema, type Quiz } from '$lib/course-format/quiz';
import PouchDB from './pouch';
import { recorderFor } from './learner-progress';
import { QuizSession, type QuizTarget } from './quiz-session.svelte';

globalThis.navigator ??= { userAgent: 'node' } as Navigator;

const quiz: Quiz = quizSchema.parse({
	lessonId: 'check',
	language: 'en',
	passMark: 50,
	questions: [
		{ id: 'award', type: 'true-false', prompt: 'Publish the award?', answer: true, feedback: { true: 'Yes.', false: 'It is published.' } },
		{ id: 'days', type: 'numeric', prompt: 'Standstill days?', answer: 10, feedback: { correct: 'Right.', incorrect: 'Ten.' } },
		{
			id: 'pairs',
			type: 'matching',
			prompt: 'Match.',
			pairs: [
				{ id: 'a', left: 'A', right: '1' },
				{ id: 'b', left: 'B', right: '2' }
			],
			feedback: { correct: 'Right.', incorrect: 'No.' }
		}
	]
});
const target: QuizTarget = {
	course: { id: 'sample-course', version: 1, passMark: 70, modules: [{ id: 'm', lessons: [{ id: 'check', kind: 'quiz', passMark: 50 }] }] },
	lessonId: 'check',
	language: 'en',
	quiz,
	passMark: 50
};
let n = 0;

describe('a quiz session', () => {
	it('saves each answer, resumes the attempt after the tab is gone, and scores on submit', async () => {
		const db = new PouchDB(`quiz-session-${n++}`, { adapter: 'indexeddb' });
		const first = new QuizSession(recorderFor('asha', db), target);
		await first.load();
		expect(first.attempt).toBeUndefined();
		await first.start();
		expect(await first.answer('award', { type: 'true-false', value: true })).toBeUndefined();
		// Half a matching question is kept too: a closed tab keeps half-finished work.
		expect(await first.answer('pairs', { type: 'matching', pairs: { a: 'a' } })).toBeUndefined();
		// The wrong shape of answer is refused with a reason and not stored.
		expect(await first.answer('days', { type: 'text', value: 'ten' })).toBe('wrong-type');
		expect(await first.answer('days', { type: 'numeric', value: 'ten' })).toBe('not-a-number');

		// A new tab: the same attempt, the same seed, the answers in place.
		const second = new QuizSession(recorderFor('asha', db), target);
		await second.load();
		expect(second.attempt).toEqual({ ...first.attempt, answers: { award: { type: 'true-false', value: true }, pairs: { type: 'matching', pairs: { a: 'a' } } } });

		await second.answer('pairs', { type: 'matching', pairs: { a: 'a', b: 'b' } });
		const score = await second.submit();
		expect(score).toMatchObject({ correctCount: 2, total: 3, percent: 67, passed: true });
		expect(second.attempt).toBeUndefined();

		const third = new QuizSession(recorderFor('asha', db), target);
		await third.load();
		expect(third.attempt).toBeUndefined();
		expect(third.history).toEqual([expect.objectContaining({ percent: 67, passed: true })]);
	});

	it('scores an answer still being written when Submit is tapped, and submits once however often it is tapped', async () => {
		const db = new PouchDB(`quiz-session-${n++}`, { adapter: 'indexeddb' });
		const session = new QuizSession(recorderFor('asha', db), target);
		await session.load();
		await session.start();
		await session.answer('pairs', { type: 'matching', pairs: { a: 'a', b: 'b' } });
		// No await: the learner taps Submit (twice) while the last answer is on its way to disk.
		const answering = session.answer('award', { type: 'true-false', value: true });
		const [first, second] = await Promise.all([session.submit(), session.submit()]);
		await answering;
		expect(first).toMatchObject({ correctCount: 2, percent: 67 });
		expect(second).toBeUndefined();
		const { rows } = await db.allDocs({ include_docs: true });
		expect(rows.filter((row) => (row.doc as { type?: string }).type === 'quiz-submitted')).toHaveLength(1);
		expect(session.history).toHaveLength(1);
	});
});

