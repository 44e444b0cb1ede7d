/**
 * The browser for tests and benchmarks: Debian's Chromium (no browser download works here or on
 * CI). CHROMIUM_PATH overrides the location.
 */
import { existsSync } from 'node:fs';

export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	// Without these Chromium keeps calling home, which this network refuses.
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

export function chromiumPath(): string {
	const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
	if (!existsSync(path)) {
		console.error(`Chromium not found at ${path}: install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.`);
		process.exit(1);
	}
	return path;
}
