#!/usr/bin/env node
/**
 * `npm ci` refuses a lock file that lacks any optional dependency, even one for another platform.
 * The npm registry this project installs from does not serve a few of those (e.g. an arm64 build
 * of a Paraglide helper), so `npm install` leaves them out and `npm ci` then fails (STACK.md
 * pitfall 6). This adds each missing one as a platform-gated optional entry, taken from its name
 * (`…-linux-arm64-musl`); npm skips it on every other platform, as it does any optional build.
 *
 * Run after changing dependencies: `node scripts/complete-lock.mjs`. A test fails if it is needed.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORM = /-(darwin|linux|win32|freebsd|android)-(x64|arm64|ia32|arm)(?:-(gnu|musl|msvc))?$/;

/** The lock entries to add: one per optional platform package that is named but missing. */
export function missingPlatformEntries(lock) {
	const packages = lock.packages ?? {};
	const missing = {};
	for (const entry of Object.values(packages)) {
		for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
			const key = `node_modules/${name}`;
			const platform = PLATFORM.exec(name);
			if (packages[key] || missing[key] || !platform) continue;
			const [, os, cpu, libc] = platform;
			missing[key] = {
				version,
				cpu: [cpu],
				...(entry.dev ? { dev: true } : {}),
				...(libc === 'gnu' || libc === 'musl' ? { libc: [libc] } : {}),
				optional: true,
				os: [os]
			};
		}
	}
	return missing;
}

export function completeLock(lock) {
	const added = missingPlatformEntries(lock);
	const sorted = Object.fromEntries(Object.entries({ ...lock.packages, ...added }).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
	return { lock: { ...lock, packages: sorted }, added: Object.keys(added) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const path = new URL('../package-lock.json', import.meta.url);
	const { lock, added } = completeLock(JSON.parse(readFileSync(path, 'utf8')));
	writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
	console.log(added.length ? `added to package-lock.json: ${added.join(', ')}` : 'package-lock.json is complete');
}
