/**
 * Scoring: right or wrong per question, and an attempt's percentage. Pure and deterministic, so
 * the app scores offline and the sync-server re-scores the same answers to the same result.
 * Isomorphic: no DOM, no Node APIs, no `$lib` imports.
 */
import type { Question } from '../course-format/quiz.js';
import { checkAnswerShape, type Answer } from './answer.js';
import { textMatches } from './normalize-text.js';

export interface QuestionResult {
	correct: boolean;
}

export interface AttemptScore {
	correctCount: number;
	total: number;
	/** Math.round(100 × correctCount / total); 0 for a quiz without questions. */
	percent: number;
	/** percent ≥ passMark: the rounded percentage is what the learner sees, so it is what must pass. */
	passed: boolean;
	results: Record<string, QuestionResult>;
}

/**
 * Float error allowed beyond a numeric question's tolerance: a few units in the last place of
 * the answer. 2.6 is within 0.1 of 2.5 although 2.6 - 2.5 is 0.10000000000000009 in binary.
 * Relative, because a double's step grows with its size (about 1e-4 near 1e12); small enough
 * never to widen a tolerance an author could mean.
 */
const NUMERIC_EPSILON = 8 * Number.EPSILON;

/**
 * Whether an answer is right. Unanswered is wrong, and so is anything `checkAnswerShape` refuses
 * (a duplicate choice, an unknown id, another type's answer): stored answers are untrusted.
 * `language` is the quiz's, for comparing text answers.
 */
export function scoreQuestion(question: Question, answer: Answer | undefined, language?: string): QuestionResult {
	if (answer === undefined) return { correct: false };
	const checked = checkAnswerShape(question, answer);
	return { correct: checked.ok && isRight(question, checked.answer, language) };
}

function isRight(question: Question, answer: Answer, language: string | undefined): boolean {
	switch (question.type) {
		case 'single':
			return answer.type === 'single' && question.options.some((o) => o.correct && o.id === answer.optionId);
		case 'multiple': {
			// Exactly the correct set: every correct option chosen and nothing else (ids are unique).
			if (answer.type !== 'multiple') return false;
			const correct = question.options.filter((o) => o.correct).map((o) => o.id);
			return answer.optionIds.length === correct.length && correct.every((id) => answer.optionIds.includes(id));
		}
		case 'true-false':
			return answer.type === 'true-false' && answer.value === question.answer;
		case 'numeric': {
			if (answer.type !== 'numeric') return false;
			const allowed = question.tolerance + NUMERIC_EPSILON * Math.max(1, Math.abs(question.answer));
			return Math.abs(answer.value - question.answer) <= allowed;
		}
		case 'text':
			return answer.type === 'text' && textMatches(answer.value, question.accepted, language);
		case 'matching':
			// Each pair's left goes with its own right; the shape check has already refused extra keys.
			return answer.type === 'matching' && question.pairs.every((p) => Object.hasOwn(answer.pairs, p.id) && answer.pairs[p.id] === p.id);
		case 'ordering':
			return answer.type === 'ordering' && answer.order.length === question.items.length && question.items.every((item, i) => answer.order[i] === item.id);
	}
}

/**
 * Scores an attempt. The rule: percent = Math.round(100 × correct / total), passed = percent ≥
 * passMark; so with a pass mark of 67, two of three (66.67 → 67) passes. Answers to question
 * ids the quiz does not have are ignored; a question without an answer is wrong.
 */
export function scoreAttempt(
	quiz: { passMark: number; questions: readonly Question[]; language?: string },
	answers: Readonly<Record<string, Answer | undefined>>
): AttemptScore {
	const results: Record<string, QuestionResult> = {};
	let correctCount = 0;
	for (const question of quiz.questions) {
		// hasOwn: a question id such as "constructor" must not find Object.prototype's.
		const answer = Object.hasOwn(answers, question.id) ? answers[question.id] : undefined;
		const result = scoreQuestion(question, answer, quiz.language);
		results[question.id] = result;
		if (result.correct) correctCount++;
	}
	const total = quiz.questions.length;
	const percent = total === 0 ? 0 : Math.round((100 * correctCount) / total);
	return { correctCount, total, percent, passed: percent >= quiz.passMark, results };
}
