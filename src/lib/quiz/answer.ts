/**
 * A learner's answer to one question, as stored in an attempt and synced. Answers name options,
 * pairs and items by id, never by position, so a shuffled presentation or a re-scoring on the
 * server reads them the same way. Isomorphic: no DOM, no Node APIs, no `$lib` imports.
 */
import { z } from '../course-format/zod.js';
import { idSchema } from '../course-format/manifest.js';
import { QUESTION_TYPES, type Question, type QuestionType } from '../course-format/quiz.js';

/** Longer than any sensible short answer; bounds what storage and sync have to carry. */
export const TEXT_ANSWER_MAX_LENGTH = 500;

// Bounds the work an untrusted list can cause; a question has at most 6 options, pairs or items.
const MAX_IDS = 50;

export const answerSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('single'), optionId: idSchema }),
	z.object({ type: z.literal('multiple'), optionIds: z.array(idSchema).max(MAX_IDS) }),
	z.object({ type: z.literal('true-false'), value: z.boolean() }),
	// Zod 4's number refuses NaN and ±Infinity, which JSON cannot carry anyway.
	z.object({ type: z.literal('numeric'), value: z.number() }),
	z.object({ type: z.literal('text'), value: z.string().max(TEXT_ANSWER_MAX_LENGTH) }),
	// Left pair id → the right pair id the learner put beside it. Ids cannot be "__proto__".
	z.object({ type: z.literal('matching'), pairs: z.record(idSchema, idSchema) }),
	z.object({ type: z.literal('ordering'), order: z.array(idSchema).max(MAX_IDS) })
]);
export type Answer = z.infer<typeof answerSchema>;
export type AnswerOf<T extends QuestionType> = Extract<Answer, { type: T }>;

/**
 * Why a value is not an acceptable answer to a question. Codes, not sentences: the UI maps each
 * to a translated message, and the server only needs to know that an answer was refused.
 */
export type AnswerProblem =
	| 'malformed' // not an answer of any type
	| 'wrong-type' // an answer, but for another type of question
	| 'unknown-option' // names an option, pair or item the question does not have
	| 'duplicate' // chooses, places or matches the same id twice
	| 'incomplete' // no option chosen, a pair left unmatched, an item left out
	| 'not-a-number'
	| 'empty' // a text answer of only spaces
	| 'too-long';

export type AnswerCheck<A extends Answer = Answer> = { ok: true; answer: A } | { ok: false; problem: AnswerProblem };

const refuse = (problem: AnswerProblem) => ({ ok: false, problem }) as const;

/**
 * Checks an untrusted value (from the UI, storage or a sync peer) against the question it
 * answers. On success the answer is a fresh object holding only the known fields.
 */
export function checkAnswerShape<Q extends Question>(question: Q, value: unknown): AnswerCheck<AnswerOf<Q['type']>> {
	const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
	if (!QUESTION_TYPES.includes(type as QuestionType)) return refuse('malformed');
	if (type !== question.type) return refuse('wrong-type');

	const parsed = answerSchema.safeParse(value);
	if (!parsed.success) {
		const field = (value as { value?: unknown }).value;
		if (type === 'numeric') return refuse('not-a-number');
		if (type === 'text' && typeof field === 'string') return refuse('too-long');
		return refuse('malformed');
	}
	const problem = problemWith(question, parsed.data);
	// The type test above made parsed.data an answer to this question's type.
	return problem ? refuse(problem) : { ok: true, answer: parsed.data as AnswerOf<Q['type']> };
}

function problemWith(question: Question, answer: Answer): AnswerProblem | undefined {
	switch (question.type) {
		case 'single': {
			if (answer.type !== 'single') return 'wrong-type';
			return question.options.some((o) => o.id === answer.optionId) ? undefined : 'unknown-option';
		}
		case 'multiple': {
			if (answer.type !== 'multiple') return 'wrong-type';
			if (answer.optionIds.length === 0) return 'incomplete';
			return idsProblem(answer.optionIds, question.options.map((o) => o.id));
		}
		case 'text': {
			if (answer.type !== 'text') return 'wrong-type';
			return answer.value.trim() === '' ? 'empty' : undefined;
		}
		case 'matching': {
			if (answer.type !== 'matching') return 'wrong-type';
			const ids = question.pairs.map((p) => p.id);
			const lefts = Object.keys(answer.pairs);
			if (lefts.some((id) => !ids.includes(id))) return 'unknown-option';
			// Each right-hand text can sit beside only one left-hand text.
			const problem = idsProblem(Object.values(answer.pairs), ids);
			if (problem) return problem;
			return lefts.length < ids.length ? 'incomplete' : undefined;
		}
		case 'ordering': {
			if (answer.type !== 'ordering') return 'wrong-type';
			const ids = question.items.map((i) => i.id);
			return idsProblem(answer.order, ids) ?? (answer.order.length < ids.length ? 'incomplete' : undefined);
		}
		case 'true-false':
		case 'numeric':
			return answer.type === question.type ? undefined : 'wrong-type';
	}
}

function idsProblem(chosen: readonly string[], known: readonly string[]): AnswerProblem | undefined {
	if (chosen.some((id) => !known.includes(id))) return 'unknown-option';
	return new Set(chosen).size < chosen.length ? 'duplicate' : undefined;
}
