/** Every shipped language says everything English says, with the same placeholders. */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../../messages/', import.meta.url);
type Messages = Record<string, string>;
const load = (file: string): Messages => {
	const { $schema: _schema, ...messages } = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Messages;
	return messages;
};
const english = load('en.json');
const others = readdirSync(dir)
	.filter((f) => f.endsWith('.json') && f !== 'en.json')
	.map((f) => [f.replace('.json', ''), load(f)] as const);
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((p) => p[1]).sort();

/** Strings that are rightly the same in another language: the brand, a pattern of placeholders only. */
const SAME_EVERYWHERE = new Set(['app_name', 'course_language_option']);

describe('messages', () => {
	it('ships at least Hindi besides English', () => {
		expect(others.map(([locale]) => locale)).toContain('hi');
	});

	describe.each(others)('%s', (_locale, messages) => {
		it('has exactly the keys English has', () => {
			expect(Object.keys(messages).sort()).toEqual(Object.keys(english).sort());
		});

		it('uses the same placeholders as English', () => {
			for (const [key, text] of Object.entries(english)) {
				expect(placeholders(messages[key] ?? ''), key).toEqual(placeholders(text));
			}
		});

		it('is translated, not copied from English', () => {
			for (const [key, text] of Object.entries(english)) {
				if (!SAME_EVERYWHERE.has(key)) expect(messages[key], key).not.toBe(text);
			}
		});
	});
});
