/**
 * The Content-Security-Policy the app runs under. Scripts come only from our origin; the one
 * inline bootstrap script SvelteKit writes into index.html is allowed by its SHA-256, computed
 * from the built file at start, so no `'unsafe-inline'` is ever needed.
 */
import { createHash } from 'node:crypto';

export type Directives = Record<string, string[]>;

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

export function inlineScriptHashes(html: string): string[] {
	const hashes = new Set<string>();
	for (const match of html.matchAll(INLINE_SCRIPT)) {
		const body = match[1] ?? '';
		hashes.add(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
	}
	return [...hashes];
}

export function appDirectives(indexHtml: string): Directives {
	return {
		'default-src': ["'self'"],
		'script-src': ["'self'", ...inlineScriptHashes(indexHtml)],
		'style-src': ["'self'"],
		// Course images and audio are stored on the phone and shown from blob: URLs.
		'img-src': ["'self'", 'data:', 'blob:'],
		'media-src': ["'self'", 'blob:'],
		'font-src': ["'self'"],
		'connect-src': ["'self'"],
		'worker-src': ["'self'"],
		'manifest-src': ["'self'"],
		'object-src': ["'none'"],
		'base-uri': ["'none'"],
		'frame-src': ["'none'"],
		'frame-ancestors': ["'none'"],
		'form-action': ["'self'"]
	};
}

export function serializeDirectives(directives: Directives): string {
	return Object.entries(directives)
		.map(([name, values]) => [name, ...values].join(' '))
		.join('; ');
}
