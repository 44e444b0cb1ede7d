/**
 * Compares a typed answer with a text question's accepted answers, forgiving what a learner on
 * a phone keyboard cannot help (case, accents, spacing, a final full stop) but nothing that
 * changes a word. Hindi is why this is a collator and not "lower-case and strip combining
 * marks": stripping marks would also strip Devanagari vowel signs and make कम (less) equal to
 * काम (work). Isomorphic: no DOM, no Node APIs, no `$lib` imports.
 *
 * What counts as the same answer (all decided by tests):
 * - Unicode forms: NFKC first, so precomposed and decomposed text, and full-width letters, match.
 * - Case and accents: the collator at `sensitivity: 'base'` ignores them ("café" = "Cafe").
 *   At that level ICU also ignores Devanagari nukta, anusvara and chandrabindu (फ़र्म = फर्म,
 *   माँ = मां = मा), common spelling variants; vowel signs and virama still count.
 * - Dashes count as spaces: "e-procurement" = "e procurement" (learners type either), but
 *   "eprocurement" is a different answer.
 * - Runs of spaces count as one; spaces at either end and trailing . । ॥ ! ? ؟ are dropped.
 * - Other punctuation counts: "bidder's" ≠ "bidders" (typographic and straight apostrophes match).
 */

/**
 * The collator's language when the quiz gives none. Fixed rather than the runtime's default so a
 * phone set to Turkish or Swedish scores the same as the server; 'en' uses ICU's root order.
 */
const FALLBACK_LANGUAGE = 'en';

const TRAILING_SENTENCE_PUNCTUATION = /[\s.।॥!?؟]+$/u;

/** What is left of an answer after the forgiving steps above, before the collator compares it. */
export function normalizeAnswerText(text: string): string {
	return text
		.normalize('NFKC')
		.replace(/\p{Pd}/gu, ' ')
		.replace(/\s+/gu, ' ')
		.trim()
		.replace(TRAILING_SENTENCE_PUNCTUATION, '');
}

/** Whether a typed answer is one of the accepted answers. An answer that normalizes to nothing never is. */
export function textMatches(typed: string, accepted: readonly string[], language?: string): boolean {
	const answer = normalizeAnswerText(typed);
	if (answer === '') return false;
	const collator = collatorFor(language);
	return accepted.some((text) => collator.compare(answer, normalizeAnswerText(text)) === 0);
}

// Building a collator is costly next to a comparison, and a quiz has one language; a memo, not state.
const collators = new Map<string, Intl.Collator>();

function collatorFor(language = FALLBACK_LANGUAGE): Intl.Collator {
	let collator = collators.get(language);
	if (!collator) {
		const options: Intl.CollatorOptions = { sensitivity: 'base', usage: 'search' };
		try {
			collator = new Intl.Collator(language, options);
		} catch {
			// A malformed tag throws RangeError; quiz languages are validated, but scoring must not throw.
			collator = new Intl.Collator(FALLBACK_LANGUAGE, options);
		}
		collators.set(language, collator);
	}
	return collator;
}
