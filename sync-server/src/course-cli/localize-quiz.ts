/** Turns a multilingual source question into one language's question, naming what is missing. */
import type { Question } from '../../../src/lib/course-format/quiz.js';
import type { QuestionSource } from './course-source.js';
import type { PathPart } from './source-yaml.js';

export type Pick = (text: Record<string, string>, path: PathPart[]) => string;

export function localizeQuestion(q: QuestionSource, at: PathPart[], pick: Pick, acceptedIn: (accepted: Record<string, string[]>, path: PathPart[]) => string[]): Question {
	const base = { id: q.id, prompt: pick(q.prompt, [...at, 'prompt']) };
	const rightOrWrong = (f: { correct: Record<string, string>; incorrect: Record<string, string> }) => ({
		correct: pick(f.correct, [...at, 'feedback', 'correct']),
		incorrect: pick(f.incorrect, [...at, 'feedback', 'incorrect'])
	});
	switch (q.type) {
		case 'single':
		case 'multiple':
			return {
				...base,
				type: q.type,
				options: q.options.map((o, i) => ({
					id: o.id,
					correct: o.correct,
					text: pick(o.text, [...at, 'options', i, 'text']),
					feedback: pick(o.feedback, [...at, 'options', i, 'feedback'])
				}))
			} as Question;
		case 'true-false':
			return {
				...base,
				type: q.type,
				answer: q.answer,
				feedback: { true: pick(q.feedback.true, [...at, 'feedback', 'true']), false: pick(q.feedback.false, [...at, 'feedback', 'false']) }
			};
		case 'numeric':
			return {
				...base,
				type: q.type,
				answer: q.answer,
				tolerance: q.tolerance,
				...(q.unit ? { unit: pick(q.unit, [...at, 'unit']) } : {}),
				feedback: rightOrWrong(q.feedback)
			};
		case 'text':
			return { ...base, type: q.type, accepted: acceptedIn(q.accepted, [...at, 'accepted']), feedback: rightOrWrong(q.feedback) };
		case 'matching':
			return {
				...base,
				type: q.type,
				pairs: q.pairs.map((p, i) => ({ id: p.id, left: pick(p.left, [...at, 'pairs', i, 'left']), right: pick(p.right, [...at, 'pairs', i, 'right']) })),
				feedback: rightOrWrong(q.feedback)
			};
		case 'ordering':
			return {
				...base,
				type: q.type,
				items: q.items.map((item, i) => ({ id: item.id, text: pick(item.text, [...at, 'items', i, 'text']) })),
				feedback: rightOrWrong(q.feedback)
			};
	}
}
