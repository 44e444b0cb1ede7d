import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appDirectives, inlineScriptHashes, serializeDirectives, staticStyleAttributeHashes } from './content-security-policy.js';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('inlineScriptHashes', () => {
	it('hashes each inline script body exactly as written', () => {
		const body = '\n\t\t\t\t{ kit.start(); }\n\t\t\t';
		const html = `<head><script src="/a.js"></script></head><body><script>${body}</script><script type="module">x()</script></body>`;
		expect(inlineScriptHashes(html)).toEqual([sha(body), sha('x()')]);
	});

	it('finds nothing in a page without inline scripts', () => {
		expect(inlineScriptHashes('<script src="/only.js"></script>')).toEqual([]);
	});
});

describe('staticStyleAttributeHashes', () => {
	it('hashes each fixed style attribute once, as Chromium does', () => {
		const announcer = 'position: absolute; left: 0; top: 0; clip: rect(0 0 0 0); clip-path: inset(50%); overflow: hidden; white-space: nowrap; width: 1px; height: 1px';
		const chunk = `$.from_html('<div id="svelte-announcer" style="${announcer}"></div>')`;
		expect(staticStyleAttributeHashes([chunk, chunk])).toEqual(["'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='"]);
	});
});

describe('appDirectives', () => {
	const directives = appDirectives({ indexHtml: '<script>boot()</script>', scripts: ['x("<p style=\\"color: red\\">")', '<b style="color: red">'] });

	it('allows scripts only from our origin and the hashed bootstrap', () => {
		expect(directives['script-src']).toEqual(["'self'", sha('boot()')]);
		expect(Object.values(directives).flat()).not.toContain("'unsafe-inline'");
		expect(Object.values(directives).flat()).not.toContain("'unsafe-eval'");
	});

	it('allows only the build’s own fixed style attributes', () => {
		expect(directives['style-src']).toEqual(["'self'"]);
		expect(directives['style-src-attr']).toEqual(["'unsafe-hashes'", sha('color: red')]);
		expect(appDirectives({ indexHtml: '', scripts: [] })['style-src-attr']).toEqual(["'none'"]);
	});

	it('forbids plug-ins, framing and base rewriting', () => {
		expect(directives['object-src']).toEqual(["'none'"]);
		expect(directives['frame-ancestors']).toEqual(["'none'"]);
		expect(directives['base-uri']).toEqual(["'none'"]);
	});

	it('serialises to a header value', () => {
		expect(serializeDirectives({ 'default-src': ["'self'"], 'img-src': ["'self'", 'blob:'] })).toBe(
			"default-src 'self'; img-src 'self' blob:"
		);
	});
});
