import { describe, expect, it } from 'vitest';
import { parseNumber } from './numeric-input.js';

const read = (text: string) => {
	const parsed = parseNumber(text);
	return parsed.ok ? parsed.value : parsed.problem;
};
const expectReads = (cases: Record<string, number | string>) => {
	for (const [text, expected] of Object.entries(cases)) expect(read(text), JSON.stringify(text)).toBe(expected);
};

describe('parseNumber', () => {
	it('reads plain numbers, trimming the spaces around them', () => {
		expectReads({ '10': 10, ' 42\t': 42, '\u00a07\n': 7, '007': 7, '2.5': 2.5, '.5': 0.5, '5.': 5, '0': 0 });
	});

	it('reads a leading minus, including the Unicode minus sign, and a plus', () => {
		expectReads({ '-3': -3, '\u22123.5': -3.5, '+4': 4, '-0': 0 });
		expect(Object.is(read('-0'), 0)).toBe(true);
	});

	it('reads Devanagari and Arabic-Indic digits and the Arabic decimal separator', () => {
		expectReads({ '१०': 10, '-२.५': -2.5, '१,००,०००': 100000, '٣٫١٤': 3.14, '۱۲۰': 120, '٠٫٥': 0.5, '१2': 12 });
	});

	it('reads a single comma as a decimal comma unless three digits follow a plain whole part', () => {
		expectReads({ '3,5': 3.5, '12,75': 12.75, '0,125': 0.125, ',5': 0.5, '1234,5': 1234.5, '-0,5': -0.5 });
		expectReads({ '1,000': 1000, '100,000': 100000, '-2,500': -2500, '१,०००': 1000 });
	});

	it('reads Western and Indian grouping, with or without decimals', () => {
		expectReads({
			'1,000,000': 1000000,
			'1,00,000': 100000,
			'12,34,56,789': 123456789,
			'1,234.5': 1234.5,
			'100,000.25': 100000.25,
			'1,00,000.50': 100000.5
		});
	});

	it('refuses grouping that is not in valid groups', () => {
		for (const text of ['1,2,3', '1,0000,000', '1,000,00', '0,000,000', '1,5.2', '1.000,5', '1,000.000,5']) {
			expect(read(text), text).toBe('not-a-number');
		}
	});

	it('refuses words, exponents, units, inner spaces and stray signs', () => {
		for (const text of ['ten', 'दस', '1e3', '0x10', 'Infinity', 'NaN', '5%', '10 days', '1 000', '- 5', '--5', '5-', '1.2.3', '.', ',', '-', '+-1']) {
			expect(read(text), text).toBe('not-a-number');
		}
		expect(read('9'.repeat(400))).toBe('not-a-number');
	});

	it('calls blank input empty rather than not a number', () => {
		expectReads({ '': 'empty', '   ': 'empty', '\n\t': 'empty' });
	});
});
