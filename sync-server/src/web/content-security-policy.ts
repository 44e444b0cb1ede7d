/**
 * The Content-Security-Policy the app runs under. Scripts come only from our origin; the one
 * inline bootstrap script SvelteKit writes into index.html is allowed by its SHA-256, and so is
 * each fixed `style="…"` attribute in the built code (SvelteKit's route announcer has one). All
 * are computed from the build at start, so no `'unsafe-inline'` is ever needed.
 */
import { createHash } from 'node:crypto';
import type { onSendAsyncHookHandler } from 'fastify';

export type Directives = Record<string, string[]>;

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

export function inlineScriptHashes(html: string): string[] {
	const hashes = new Set<string>();
	for (const match of html.matchAll(INLINE_SCRIPT)) {
		const body = match[1] ?? '';
		hashes.add(sha256(body));
	}
	return [...hashes];
}

const STATIC_STYLE_ATTRIBUTE = /\bstyle="([^"]*)"/g;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Hashes of the constant style attributes that compiled components write into the page. */
export function staticStyleAttributeHashes(scripts: readonly string[]): string[] {
	const hashes = new Set<string>();
	for (const script of scripts) {
		for (const match of script.matchAll(STATIC_STYLE_ATTRIBUTE)) hashes.add(sha256(match[1] ?? ''));
	}
	return [...hashes];
}

export interface BuiltApp {
	indexHtml: string;
	/** The text of every built script, where fixed style attributes are found. */
	scripts: readonly string[];
}

export function appDirectives({ indexHtml, scripts }: BuiltApp): Directives {
	const styleAttributes = staticStyleAttributeHashes(scripts);
	return {
		'default-src': ["'self'"],
		'script-src': ["'self'", ...inlineScriptHashes(indexHtml)],
		'style-src': ["'self'"],
		'style-src-attr': styleAttributes.length > 0 ? ["'unsafe-hashes'", ...styleAttributes] : ["'none'"],
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

/** `application/json`, with or without parameters: data that a browser never runs or draws as a page. */
const isJson = (contentType: string) => /^application\/json\s*(;|$)/i.test(contentType);

/**
 * Sends the app's policy on every answer that does not set its own, except JSON ones (the API's,
 * replication's, errors'). A policy governs a document; a JSON answer never becomes one (it is
 * fetched, not navigated to, and `X-Content-Type-Options: nosniff` keeps a browser from reading it
 * as anything but JSON), while the app's policy is ~0.5 KB of headers on each of a sync's requests,
 * on 2G. Answers that set their own policy (course content, the verify page) keep it.
 */
export function appPolicyOnPages(policy: string): onSendAsyncHookHandler<unknown> {
	return async (_request, reply, payload) => {
		const contentType = reply.getHeader('content-type');
		if (!reply.hasHeader('content-security-policy') && !(typeof contentType === 'string' && isJson(contentType))) {
			reply.header('content-security-policy', policy);
		}
		return payload;
	};
}
