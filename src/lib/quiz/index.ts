/**
 * The quiz engine's pure core: answer shapes, number and text input, scoring, feedback and the
 * seeded presentation order. Isomorphic, so the sync-server compiles these same files to re-score
 * attempts; storage and UI live elsewhere.
 */
export { answerSchema, checkAnswerShape, TEXT_ANSWER_MAX_LENGTH } from './answer.js';
export type { Answer, AnswerCheck, AnswerOf, AnswerProblem } from './answer.js';
export { parseNumber } from './numeric-input.js';
export type { NumberInput } from './numeric-input.js';
export { normalizeAnswerText, textMatches } from './normalize-text.js';
export { scoreAttempt, scoreQuestion } from './score.js';
export type { AttemptScore, QuestionResult } from './score.js';
export { feedbackFor } from './feedback.js';
export { presentationOrder, PRESENTATION_ORDER_VERSION } from './shuffle.js';
export type { Presentation } from './shuffle.js';
