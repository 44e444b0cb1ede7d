/**
 * Quiz questions. One shape, two forms: in a course's source every text is given per language;
 * in a bundle each language has its own quiz file with plain strings (a learner downloads only
 * their language). Answer keys travel in the bundle, since quizzes are scored offline.
 */
import { z } from './zod.js';
import { idSchema, languageSchema } from './manifest.js';

export const QUESTION_TYPES = ['single', 'multiple', 'true-false', 'numeric', 'text', 'matching', 'ordering'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/**
 * Builds the question schema over a kind of text (`z.string()` built, per-language in source)
 * and of accepted answers (a list built, a list per language in source).
 */
export function questionSchemaOf<T extends z.ZodType, A extends z.ZodType>(text: T, accepted: A) {
	const rightOrWrong = z.object({ correct: text, incorrect: text });
	const base = { id: idSchema, prompt: text };
	const option = z.object({ id: idSchema, text, correct: z.boolean().default(false), feedback: text });
	return z.discriminatedUnion('type', [
		z.object({ ...base, type: z.literal('single'), options: z.array(option).min(2).max(6) }).refine(
			(q) => q.options.filter((o) => o.correct).length === 1,
			{ message: 'a single-choice question has exactly one correct option', path: ['options'] }
		),
		z.object({ ...base, type: z.literal('multiple'), options: z.array(option).min(2).max(6) }).refine(
			(q) => q.options.some((o) => o.correct),
			{ message: 'a multiple-choice question has at least one correct option', path: ['options'] }
		),
		z.object({ ...base, type: z.literal('true-false'), answer: z.boolean(), feedback: z.object({ true: text, false: text }) }),
		z.object({
			...base,
			type: z.literal('numeric'),
			answer: z.number().finite(),
			tolerance: z.number().min(0).default(0),
			unit: text.optional(),
			feedback: rightOrWrong
		}),
		z.object({ ...base, type: z.literal('text'), accepted, feedback: rightOrWrong }),
		z.object({
			...base,
			type: z.literal('matching'),
			pairs: z.array(z.object({ id: idSchema, left: text, right: text })).min(2).max(6),
			feedback: rightOrWrong
		}),
		z.object({
			...base,
			type: z.literal('ordering'),
			items: z.array(z.object({ id: idSchema, text })).min(2).max(6),
			feedback: rightOrWrong
		})
	]);
}

const builtText = z.string().min(1).max(5_000);
const builtQuestion = questionSchemaOf(builtText, z.array(builtText).min(1).max(50));

/** A quiz file in a bundle: one language. */
export const quizSchema = z.object({
	lessonId: idSchema,
	language: languageSchema,
	passMark: z.number().int().min(0).max(100),
	questions: z.array(builtQuestion).min(1).max(200)
});
export type Quiz = z.infer<typeof quizSchema>;
export type Question = Quiz['questions'][number];
