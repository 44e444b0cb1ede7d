import { describe, expect, it } from 'vitest';
import { languageName } from './language-name';

describe('languageName', () => {
	it('names each language in its own script', () => {
		expect(languageName('en')).toBe('English');
		expect(languageName('hi')).toBe('हिन्दी');
		expect(languageName('ar')).toBe('العربية');
	});

	it('falls back to the code for a tag the engine cannot name', () => {
		expect(languageName('not a locale')).toBe('not a locale');
	});
});
