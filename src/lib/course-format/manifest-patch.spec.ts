import { describe, expect, it } from 'vitest';
import { applyManifestPatch, ManifestPatchError } from './manifest-patch';

describe('applyManifestPatch', () => {
	it('copies, skips and inserts over the old text', () => {
		expect(applyManifestPatch('{"version":1,"sha":"aaaa"}', [11, -1, '2', 8, -4, 'bbbb', 2])).toBe('{"version":2,"sha":"bbbb"}');
		expect(applyManifestPatch('', ['whole new text'])).toBe('whole new text');
		// Counts are in UTF-16 units, as the server's diff counts them, so Hindi and emoji survive.
		expect(applyManifestPatch('सीखो 📚 v1', [8, -2, 'v2'])).toBe('सीखो 📚 v2');
	});

	it('refuses a patch that does not fit the text it claims to start from', () => {
		for (const ops of [[6], [4, 'x'], [30], [-30], [0, 3], [1.5], [null], [{}], [Number.MAX_SAFE_INTEGER + 2]]) {
			expect(() => applyManifestPatch('short', ops), JSON.stringify(ops)).toThrow(ManifestPatchError);
		}
	});
});
