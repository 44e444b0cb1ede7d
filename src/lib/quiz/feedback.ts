/**
 * The feedback a learner reads after answering: the quiz's own texts, already in the learner's
 * language (a bundle carries one quiz file per language), so nothing here is translated.
 * Isomorphic: no DOM, no Node APIs, no `$lib` imports.
 */
import type { Question } from '../course-format/quiz.js';
import { checkAnswerShape, type Answer } from './answer.js';
import { scoreQuestion } from './score.js';

/**
 * Feedback texts in the order to show them.
 * - single: the chosen option's feedback.
 * - multiple: the feedback of every chosen option and of every correct option left out, in the
 *   authored option order, so a missed option explains itself too.
 * - true-false: the feedback written for the value chosen.
 * - numeric, text, matching, ordering: `feedback.correct` or `feedback.incorrect`.
 * An absent or malformed answer chooses nothing: single and true-false give no feedback,
 * multiple gives the missed correct options', the others give `feedback.incorrect`.
 */
export function feedbackFor(question: Question, answer: Answer | undefined, language?: string): string[] {
	const checked = answer === undefined ? undefined : checkAnswerShape(question, answer);
	const given = checked?.ok ? checked.answer : undefined;
	switch (question.type) {
		case 'single':
			return question.options.filter((o) => given?.type === 'single' && o.id === given.optionId).map((o) => o.feedback);
		case 'multiple': {
			const chosen = given?.type === 'multiple' ? given.optionIds : [];
			return question.options.filter((o) => o.correct || chosen.includes(o.id)).map((o) => o.feedback);
		}
		case 'true-false':
			if (given?.type !== 'true-false') return [];
			return [given.value ? question.feedback.true : question.feedback.false];
		case 'numeric':
		case 'text':
		case 'matching':
		case 'ordering': {
			const { correct } = scoreQuestion(question, given, language);
			return [correct ? question.feedback.correct : question.feedback.incorrect];
		}
	}
}
