import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ANNOUNCER_STYLE, BOOTSTRAP, makeFixture, type Fixture } from '../test-support/app-fixture.js';
import { loadConfig } from './config.js';
import { buildServer } from './server.js';
import { AppNotBuiltError } from './web/app-files.js';
import { IMMUTABLE, REVALIDATE } from './web/cache-policy.js';

let fixture: Fixture;
let app: FastifyInstance;

const configFor = (f: Fixture) => loadConfig({ APP_DIR: f.appDir, DATA_DIR: f.dataDir, LOG_LEVEL: 'silent' });

beforeAll(async () => {
	fixture = await makeFixture();
	app = await buildServer(configFor(fixture));
});

afterAll(async () => {
	await app.close();
});

describe('GET /healthz', () => {
	it('is 200 when the app is there and data can be stored', async () => {
		const res = await app.inject({ url: '/healthz' });
		expect(res.statusCode).toBe(200);
		expect(res.json()).toEqual({ status: 'ok' });
		expect(res.headers['cache-control']).toBe('no-store');
	});

	it('is 503 with the reason when data can no longer be stored (the disk went away)', async () => {
		const gone = await makeFixture();
		const server = await buildServer(configFor(gone));
		await rm(gone.dataDir, { recursive: true, force: true });
		const res = await server.inject({ url: '/healthz' });
		await server.close();
		expect(res.statusCode).toBe(503);
		expect(res.json()).toEqual({ status: 'unavailable', problems: ['data directory is not writable', 'learner data directory is not writable'] });
	});

	it('keeps learners in the embedded store by default, and reports a CouchDB it cannot reach', async () => {
		expect(app.store.kind).toBe('embedded');
		// Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
		const couch = await buildServer(loadConfig({ APP_DIR: fixture.appDir, DATA_DIR: fixture.dataDir, LOG_LEVEL: 'silent', COUCHDB_URL: 'http://admin:pw@127.0.0.1:9/', TOKEN_SECRET: 'x'.repeat(32) }));
		const res = await couch.inject({ url: '/healthz' });
		await couch.close();
		expect(couch.store.kind).toBe('couchdb');
		expect(res.statusCode).toBe(503);
		expect(res.json()).toEqual({ status: 'unavailable', problems: ['CouchDB is not reachable'] });
	});
});

describe('serving the app', () => {
	it('sends the shell page for / with revalidation', async () => {
		const res = await app.inject({ url: '/' });
		expect(res.statusCode).toBe(200);
		expect(res.headers['content-type']).toMatch(/^text\/html/);
		expect(res.headers['cache-control']).toBe(REVALIDATE);
		expect(res.body).toContain(BOOTSTRAP);
	});

	it('sends the shell page for any app screen a browser navigates to', async () => {
		const res = await app.inject({ url: '/settings?x=1', headers: { accept: 'text/html,application/xhtml+xml' } });
		expect(res.statusCode).toBe(200);
		expect(res.headers['cache-control']).toBe(REVALIDATE);
		expect(res.body).toContain(BOOTSTRAP);
	});

	it('sends a file shared to Sikho before its service worker was installed to the import screen, unread', async () => {
		const boundary = 'sikho-test';
		const payload = `--${boundary}\r\ncontent-disposition: form-data; name="bundle"; filename="course.zip"\r\ncontent-type: application/zip\r\n\r\nPK\r\n--${boundary}--\r\n`;
		const res = await app.inject({ method: 'POST', url: '/share-target', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
		expect(res.statusCode).toBe(303);
		expect(res.headers.location).toBe('/import?shared=unavailable');
		expect(res.headers.connection).toBe('close');
	});

	it('answers a missing file that is not a page with a JSON 404', async () => {
		for (const url of ['/icons/missing.png', '/api/nothing-here', '/_app/immutable/gone.js']) {
			const res = await app.inject({ url, headers: { accept: url.startsWith('/_app') ? 'text/html' : '*/*' } });
			expect(res.statusCode, url).toBe(404);
			expect(res.json(), url).toMatchObject({ error: 'not_found' });
		}
	});

	it('lets browsers keep hashed files for a year', async () => {
		const res = await app.inject({ url: '/_app/immutable/entry/start.Ab12.js' });
		expect(res.statusCode).toBe(200);
		expect(res.headers['cache-control']).toBe(IMMUTABLE);
	});

	it('makes the service worker and manifest revalidate, the manifest with its own type', async () => {
		const sw = await app.inject({ url: '/service-worker.js' });
		expect(sw.headers['cache-control']).toBe(REVALIDATE);
		const manifest = await app.inject({ url: '/manifest.webmanifest' });
		expect(manifest.headers['content-type']).toBe('application/manifest+json');
		expect(manifest.headers['cache-control']).toBe(REVALIDATE);
	});

	it('sends the pre-compressed copy when the browser accepts it', async () => {
		const br = await app.inject({ url: '/_app/immutable/entry/start.Ab12.js', headers: { 'accept-encoding': 'br, gzip' } });
		expect(br.headers['content-encoding']).toBe('br');
		expect(br.headers['cache-control']).toBe(IMMUTABLE);
		const gz = await app.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } });
		expect(gz.headers['content-encoding']).toBe('gzip');
	});

	it('refuses to start without a built app, saying how to build it', async () => {
		await expect(buildServer(loadConfig({ APP_DIR: fixture.dataDir, LOG_LEVEL: 'silent' }))).rejects.toThrow(AppNotBuiltError);
		await expect(buildServer(loadConfig({ APP_DIR: fixture.dataDir, LOG_LEVEL: 'silent' }))).rejects.toThrow(/npm run build:app/);
	});
});

describe('security headers', () => {
	it('sends a CSP that allows exactly the inline bootstrap by hash', async () => {
		const res = await app.inject({ url: '/' });
		const csp = String(res.headers['content-security-policy']);
		const hash = createHash('sha256').update(BOOTSTRAP).digest('base64');
		expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
		expect(csp).not.toContain('unsafe-inline');
		const styleHash = createHash('sha256').update(ANNOUNCER_STYLE).digest('base64');
		expect(csp).toContain(`style-src-attr 'unsafe-hashes' 'sha256-${styleHash}'`);
		expect(csp).toContain("frame-ancestors 'none'");
	});

	it('sends the usual hardening headers on every answer', async () => {
		for (const url of ['/', '/healthz', '/api/nothing', '/_app/immutable/entry/start.Ab12.js']) {
			const res = await app.inject({ url });
			expect(res.headers['x-content-type-options'], url).toBe('nosniff');
			expect(res.headers['referrer-policy'], url).toBe('no-referrer');
		}
	});

	it('puts the app’s policy on the shell page, however it is reached, and on the app’s files', async () => {
		const shell = String((await app.inject({ url: '/' })).headers['content-security-policy']);
		expect(shell).toContain("script-src 'self' 'sha256-");
		expect(shell).toContain("frame-ancestors 'none'");
		for (const request of [
			{ url: '/settings', headers: { accept: 'text/html' } },
			{ url: '/', headers: { 'accept-encoding': 'gzip' } },
			{ url: '/_app/immutable/entry/start.Ab12.js' }
		]) {
			const res = await app.inject(request);
			expect(res.statusCode, request.url).toBe(200);
			expect(res.headers['content-security-policy'], request.url).toBe(shell);
		}
	});

	it('sends no policy with JSON answers (a sync’s every request would carry it), but still nosniff', async () => {
		const registered = await app.inject({
			method: 'POST',
			url: '/api/auth/register',
			payload: { username: 'header-check', password: 'long enough password', name: 'Asha', district: 'Sitapur' }
		});
		expect(registered.statusCode).toBe(201);
		const { db, accessToken } = registered.json<{ db: string; accessToken: string }>();
		const authorization = `Bearer ${accessToken}`;
		const answers = {
			register: registered,
			uuid: await app.inject({ url: '/sync/', headers: { authorization } }),
			database: await app.inject({ url: `/sync/${db}`, headers: { authorization } }),
			changes: await app.inject({ url: `/sync/${db}/_changes?since=0`, headers: { authorization, 'accept-encoding': 'gzip' } }),
			revsDiff: await app.inject({ method: 'POST', url: `/sync/${db}/_revs_diff`, headers: { authorization }, payload: {} }),
			noToken: await app.inject({ url: `/sync/${db}` }),
			health: await app.inject({ url: '/healthz' }),
			notFound: await app.inject({ url: '/api/nothing' })
		};
		for (const [what, res] of Object.entries(answers)) {
			expect(res.headers['content-type'], what).toMatch(/^application\/json/);
			expect(res.headers['content-security-policy'], what).toBeUndefined();
			expect(res.headers['x-content-type-options'], what).toBe('nosniff');
		}
		expect(answers.database.statusCode).toBe(200);
		expect(answers.noToken.statusCode).toBe(401);
	});
});

describe('errors', () => {
	it('are CouchDB-shaped with a stable name', async () => {
		const res = await app.inject({ method: 'DELETE', url: '/api/anything' });
		expect(res.statusCode).toBe(404);
		expect(res.json()).toEqual({ error: 'not_found', reason: 'Nothing at DELETE /api/anything' });
	});
});
