/** The author's side of a course: `course.yaml` and quiz YAML files (docs/course-source.md). */
import { z } from 'zod';
import { idSchema, languageSchema } from '../../../src/lib/course-format/manifest.js';
import { QUESTION_TYPES, questionSchemaOf } from '../../../src/lib/course-format/quiz.js';
import { CourseSourceError, type SourceProblem } from './source-problems.js';
import { readSourceYaml, type PathPart, type SourceYaml } from './source-yaml.js';

export const LESSON_KINDS = ['text', 'audio', 'quiz'] as const;

const text = z.record(z.string(), z.string().min(1));
const pathPerLanguage = z.record(z.string(), z.string().min(1));
const lessonBase = { id: idSchema, minutes: z.number().int().min(1).max(600), title: text };

const lessonSource = z.discriminatedUnion('kind', [
	z.object({ ...lessonBase, kind: z.literal('text'), body: pathPerLanguage }),
	z.object({ ...lessonBase, kind: z.literal('audio'), audio: pathPerLanguage, transcript: pathPerLanguage }),
	z.object({ ...lessonBase, kind: z.literal('quiz'), quiz: z.string().min(1), passMark: z.number().int().min(0).max(100).optional() })
]);
export type LessonSource = z.infer<typeof lessonSource>;

const courseSourceSchema = z.object({
	id: idSchema,
	version: z.number().int().min(1),
	publisher: idSchema,
	licence: z.string().min(1),
	languages: z.array(languageSchema).min(1),
	passMark: z.number().int().min(0).max(100).default(70),
	title: text,
	description: text,
	modules: z.array(z.object({ id: idSchema, title: text, lessons: z.array(lessonSource).min(1) })).min(1)
});
export type CourseSource = z.infer<typeof courseSourceSchema>;

export const quizSourceSchema = z.object({
	questions: z.array(questionSchemaOf(text, z.record(z.string(), z.array(z.string().min(1)).min(1)))).min(1)
});
export type QuizSource = z.infer<typeof quizSourceSchema>;
export type QuestionSource = QuizSource['questions'][number];

/** Names values outside a fixed list precisely, where zod would only say "invalid input". */
function unknownValues(
	yaml: SourceYaml,
	items: unknown,
	key: string,
	allowed: readonly string[],
	what: string,
	at: (i: number) => PathPart[]
): SourceProblem[] {
	if (!Array.isArray(items)) return [];
	return items.flatMap((item, i) => {
		const value = (item as Record<string, unknown> | null)?.[key];
		return allowed.includes(value as string)
			? []
			: [yaml.problem([...at(i), key], `unknown ${what} ${JSON.stringify(value)} (expected ${allowed.join(', ')})`)];
	});
}

function parseWith<T>(yaml: SourceYaml, schema: z.ZodType<T>, known: SourceProblem[]): T {
	if (known.length > 0) throw new CourseSourceError(known);
	const parsed = schema.safeParse(yaml.value);
	if (!parsed.success) throw new CourseSourceError(parsed.error.issues.map((issue) => yaml.problem(issue.path as PathPart[], issue.message)));
	return parsed.data;
}

export async function readCourseSource(courseDir: string): Promise<{ course: CourseSource; yaml: SourceYaml }> {
	const yaml = await readSourceYaml(courseDir, 'course.yaml');
	const modules = (yaml.value as { modules?: unknown } | null)?.modules;
	const known = Array.isArray(modules)
		? modules.flatMap((module, m) =>
				unknownValues(yaml, (module as { lessons?: unknown } | null)?.lessons, 'kind', LESSON_KINDS, 'lesson kind', (l) => ['modules', m, 'lessons', l])
			)
		: [];
	return { course: parseWith(yaml, courseSourceSchema, known), yaml };
}

export async function readQuizSource(courseDir: string, file: string): Promise<{ quiz: QuizSource; yaml: SourceYaml }> {
	const yaml = await readSourceYaml(courseDir, file);
	const questions = (yaml.value as { questions?: unknown } | null)?.questions;
	const known = unknownValues(yaml, questions, 'type', QUESTION_TYPES, 'question type', (q) => ['questions', q]);
	return { quiz: parseWith(yaml, quizSourceSchema, known), yaml };
}
