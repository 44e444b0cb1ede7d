import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missingPlatformEntries } from './complete-lock.mjs';

describe('missingPlatformEntries', () => {
	it('adds a platform-gated optional entry for each missing platform package', () => {
		const lock = {
			packages: {
				'node_modules/tool': { version: '1.0.0', dev: true, optionalDependencies: { 'tool-linux-arm64-musl': '1.0.0', 'tool-linux-x64-gnu': '1.0.0', 'plain-helper': '2.0.0' } },
				'node_modules/tool-linux-x64-gnu': { version: '1.0.0' }
			}
		};
		expect(missingPlatformEntries(lock)).toEqual({
			'node_modules/tool-linux-arm64-musl': { version: '1.0.0', cpu: ['arm64'], dev: true, libc: ['musl'], optional: true, os: ['linux'] }
		});
	});
});

describe('package-lock.json', () => {
	it('names every optional platform build, so `npm ci` accepts it (run scripts/complete-lock.mjs)', () => {
		const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
		expect(Object.keys(missingPlatformEntries(lock))).toEqual([]);
	});
});
