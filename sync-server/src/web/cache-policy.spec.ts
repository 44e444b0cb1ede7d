import { describe, expect, it } from 'vitest';
import { cacheControlFor, IMMUTABLE, REVALIDATE } from './cache-policy.js';

describe('cacheControlFor', () => {
	it('keeps hashed build files for a year', () => {
		expect(cacheControlFor('_app/immutable/entry/start.Ab12.js')).toBe(IMMUTABLE);
		expect(cacheControlFor('/_app/immutable/assets/0.Cg1V.css.br')).toBe(IMMUTABLE);
	});

	it('makes the browser revalidate everything whose name does not change', () => {
		for (const path of ['index.html', 'service-worker.js', 'manifest.webmanifest', '_app/version.json', 'icons/icon-192.png']) {
			expect(cacheControlFor(path), path).toBe(REVALIDATE);
		}
	});
});
