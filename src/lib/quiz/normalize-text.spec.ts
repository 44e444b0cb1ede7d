import { describe, expect, it } from 'vitest';
import { normalizeAnswerText, textMatches } from './normalize-text.js';

const same = (typed: string, accepted: string, language?: string) => textMatches(typed, [accepted], language);

describe('normalizeAnswerText', () => {
	it('applies NFKC, turns dashes into spaces, collapses spaces and drops the final punctuation', () => {
		expect(normalizeAnswerText('  Value \t for\n\nmoney.  ')).toBe('Value for money');
		expect(normalizeAnswerText('e-procurement — online')).toBe('e procurement online');
		expect(normalizeAnswerText('ＶｆＭ')).toBe('VfM');
		expect(normalizeAnswerText('\u095e\u0930\u094d\u092e')).toBe('\u092b\u093c\u0930\u094d\u092e');
		expect(normalizeAnswerText('सही है।')).toBe('सही है');
		expect(normalizeAnswerText('Really?! ...')).toBe('Really');
		expect(normalizeAnswerText('U.S.A')).toBe('U.S.A');
	});
});

describe('textMatches', () => {
	it('ignores case, accents, spacing and a final full stop', () => {
		expect(same('Value for Money', 'value for money')).toBe(true);
		expect(same('café', 'cafe')).toBe(true);
		expect(same('  value   for money. ', 'Value for money')).toBe(true);
		expect(same('Value for money', 'Value for money!')).toBe(true);
	});

	it('matches any of the accepted answers, and never a blank one', () => {
		expect(textMatches('vfm', ['Value for money', 'VfM'])).toBe(true);
		expect(textMatches('value', ['Value for money', 'VfM'])).toBe(false);
		expect(textMatches(' . ', ['.'])).toBe(false);
	});

	it('treats a dash as a space, but not as nothing', () => {
		expect(same('e-procurement', 'e procurement')).toBe(true);
		expect(same('e–procurement', 'E-Procurement')).toBe(true);
		expect(same('eprocurement', 'e-procurement')).toBe(false);
	});

	it('keeps words that differ in letters or other punctuation apart', () => {
		expect(same('value for money', 'value of money')).toBe(false);
		expect(same("bidder's", 'bidders')).toBe(false);
		expect(same('bidder’s', "bidder's")).toBe(true);
	});

	it('does not equate Hindi words that differ only in a vowel sign or virama', () => {
		for (const language of [undefined, 'hi']) {
			expect(same('कम', 'काम', language)).toBe(false);
			expect(same('दिन', 'दीन', language)).toBe(false);
			expect(same('बोली', 'बोला', language)).toBe(false);
			expect(same('क', 'क्', language)).toBe(false);
		}
	});

	it('equates identical Hindi text in different Unicode forms, and a final danda', () => {
		const precomposed = '\u095e\u0930\u094d\u092e'; // फ़र्म with फ़ as one code point
		const decomposed = '\u092b\u093c\u0930\u094d\u092e'; // फ + nukta
		expect(precomposed).not.toBe(decomposed);
		expect(same(precomposed, decomposed, 'hi')).toBe(true);
		expect(same('मूल्य के बदले धन।', 'मूल्य के  बदले धन', 'hi')).toBe(true);
	});

	it('forgives nukta and nasal-mark spelling variants, as the collator does at base level', () => {
		expect(same('फर्म', 'फ़र्म', 'hi')).toBe(true);
		expect(same('मां', 'माँ', 'hi')).toBe(true);
		expect(same('मा', 'मां', 'hi')).toBe(true);
	});

	it("compares with the quiz's language, and the same fixed rules when there is none", () => {
		// In Swedish å is a letter of its own; elsewhere it is an accented a.
		expect(same('sa', 'så', 'sv')).toBe(false);
		expect(same('sa', 'så')).toBe(true);
		expect(same('sa', 'så', 'not a language tag')).toBe(true);
	});
});
