/**
 * Problems in a course's source, each naming the file and line an author must fix:
 * `quizzes/principles.yaml:42: questions.3.options: a single-choice question has exactly one correct option`.
 */
export interface SourceProblem {
	file: string;
	line?: number;
	message: string;
}

export const formatProblem = (p: SourceProblem) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`;

export class CourseSourceError extends Error {
	override name = 'CourseSourceError';
	constructor(readonly problems: SourceProblem[]) {
		super(problems.map(formatProblem).join('\n'));
	}
}
