import { describe, expect, it } from 'vitest';
import { appShellEntries, SERVER_PATHS } from './app-shell';

describe('appShellEntries', () => {
	const entries = appShellEntries({
		build: ['/_app/immutable/entry/start.Ab12.js', '/_app/version.json'],
		files: ['/manifest.webmanifest', '/icons/icon.svg', '/icons/icon-192.png', '/robots.txt'],
		version: '0.1.0+abc'
	});

	it('always includes the shell page, versioned by the deploy', () => {
		expect(entries).toContainEqual({ url: '/index.html', revision: '0.1.0+abc' });
	});

	it('lets hashed files be their own version so an unchanged file is never downloaded twice', () => {
		expect(entries).toContainEqual({ url: '/_app/immutable/entry/start.Ab12.js', revision: null });
	});

	it('versions files without a hash in their name by the deploy', () => {
		expect(entries).toContainEqual({ url: '/_app/version.json', revision: '0.1.0+abc' });
		expect(entries).toContainEqual({ url: '/icons/icon.svg', revision: '0.1.0+abc' });
		expect(entries).toContainEqual({ url: '/manifest.webmanifest', revision: '0.1.0+abc' });
	});

	it('leaves out files no offline screen needs', () => {
		const urls = entries.map((e) => e.url);
		expect(urls).not.toContain('/robots.txt');
		expect(urls).not.toContain('/icons/icon-192.png');
	});
});

describe('SERVER_PATHS', () => {
	const isServerPath = (path: string) => SERVER_PATHS.some((re) => re.test(path));

	it('keeps API, replication, content and verification pages for the server', () => {
		for (const path of ['/api/catalog', '/sync/learner-1/_changes', '/content/ab12', '/verify/x', '/healthz']) {
			expect(isServerPath(path), path).toBe(true);
		}
	});

	it('lets app screens open from the shell', () => {
		for (const path of ['/', '/settings', '/courses/x/lessons/y', '/healthz-guide']) {
			expect(isServerPath(path), path).toBe(false);
		}
	});
});
