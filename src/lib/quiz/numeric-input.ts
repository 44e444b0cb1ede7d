/**
 * Reads the number a learner types into a numeric question, whatever keyboard they have:
 * ASCII, Devanagari (०-९) or Arabic-Indic (٠-٩, ۰-۹) digits, a decimal point or comma, and
 * Western (1,000,000) or Indian (10,00,000) grouping. Isomorphic and locale-independent, so the
 * same text gives the same number on every phone and on the server.
 *
 * Rules, in order:
 * - Surrounding spaces are trimmed; spaces inside ("1 000", "- 5") make it not a number.
 * - One leading sign: "-", "−" (U+2212, what some keyboards insert) or "+".
 * - "." and "٫" (Arabic decimal separator) are decimal points; at most one. ".5" and "5." are read.
 * - With a decimal point, commas are grouping and must sit in valid groups before it:
 *   "1,234.5" and "1,00,000.50" are read, "1,5.2" is not a number.
 * - Without a decimal point, two or more commas are grouping ("1,00,000", "1,000,000") and must
 *   form valid groups ("1,2,3" is not a number).
 * - Without a decimal point, a single comma is the ambiguous case. It is read as grouping when
 *   exactly three digits follow it and one to three digits, not starting with 0, precede it
 *   ("1,000" and "100,000" are a thousand and a hundred thousand): for this app's learners a
 *   thousands separator is far likelier than a decimal comma with three decimals. Otherwise it
 *   is a decimal comma: "3,5" is 3.5, "0,125" is 0.125, "12,5" is 12.5.
 * - Nothing else: "ten", "1e3", "0x10", "Infinity", "5%" are not numbers.
 */

export type NumberInput = { ok: true; value: number } | { ok: false; problem: 'not-a-number' | 'empty' };

// No learner types a number this long; stops pathological input early.
const MAX_INPUT_LENGTH = 100;

/** First code point (the digit zero) of each run of ten digits read besides ASCII. */
const DIGIT_ZEROS = [
	0x0966, // Devanagari ०
	0x0660, // Arabic-Indic ٠
	0x06f0 // Extended Arabic-Indic ۰ (Persian, Urdu)
];

const WESTERN_GROUPS = /^[1-9]\d{0,2}(?:,\d{3})+$/;
// Indian grouping: the last group has three digits, the ones before it two.
const INDIAN_GROUPS = /^[1-9]\d?(?:,\d{2})*,\d{3}$/;

const notANumber: NumberInput = { ok: false, problem: 'not-a-number' };

export function parseNumber(text: string): NumberInput {
	const trimmed = text.trim();
	if (trimmed === '') return { ok: false, problem: 'empty' };
	if (trimmed.length > MAX_INPUT_LENGTH) return notANumber;

	const ascii = toAsciiDigits(trimmed).replace(/\u066b/g, '.');
	const match = /^([-\u2212+]?)([\d.,]+)$/.exec(ascii);
	if (!match) return notANumber;
	const negative = match[1] === '-' || match[1] === '\u2212';
	const digits = plainDigits(match[2] ?? '');
	if (digits === undefined) return notANumber;

	const value = Number(digits);
	if (!Number.isFinite(value)) return notANumber;
	// -0 would survive JSON as 0 anyway; keep it 0 so equal inputs give equal answers.
	return { ok: true, value: negative && value !== 0 ? -value : value };
}

/** The body as "123" or "123.45" (or ".5", "5."), or undefined when it breaks the rules above. */
function plainDigits(body: string): string | undefined {
	const points = body.split('.').length - 1;
	if (points > 1) return undefined;
	let whole: string;
	let fraction: string | undefined;
	if (points === 1) {
		[whole = '', fraction = ''] = body.split('.');
		if (whole.includes(',') && !isGrouped(whole)) return undefined;
	} else {
		const commas = body.split(',').length - 1;
		if (commas === 0 || (commas > 1 && isGrouped(body))) whole = body;
		else if (commas > 1) return undefined;
		else {
			const [before = '', after = ''] = body.split(',');
			if (/^[1-9]\d{0,2}$/.test(before) && /^\d{3}$/.test(after)) whole = body;
			else [whole, fraction] = [before, after];
		}
	}
	whole = whole.replace(/,/g, '');
	fraction ??= '';
	if (!/^\d*$/.test(whole) || !/^\d*$/.test(fraction) || whole + fraction === '') return undefined;
	return fraction === '' ? whole : `${whole}.${fraction}`;
}

function isGrouped(whole: string): boolean {
	return WESTERN_GROUPS.test(whole) || INDIAN_GROUPS.test(whole);
}

function toAsciiDigits(text: string): string {
	let out = '';
	for (const char of text) {
		const code = char.codePointAt(0) ?? 0;
		const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9);
		out += zero === undefined ? char : String(code - zero);
	}
	return out;
}
