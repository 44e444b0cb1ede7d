import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CERTIFICATES_DATABASE, registryCertificateDocId, verifyPath, type Certificate } from '../../../src/lib/progress-model/certificate.js';
import { installErrorHandlers } from '../http/errors.js';
import { StoreError } from '../store/store.js';
import { appDirectives } from '../web/content-security-policy.js';
import { certificateIdFor, certificateKey } from './certificate-id.js';
import { MemoryStore } from '../../test-support/memory-store.js';
import { VERIFY_PAGE_CSP } from './verify-page.js';
import { verifyRoutes } from './verify-routes.js';

const NUMBER = certificateIdFor(certificateKey('a-server-secret-of-at-least-32-characters'), 'learner-1', 'procurement-essentials');

const certificate: Certificate = {
	_id: registryCertificateDocId(NUMBER),
	format: 1,
	type: 'certificate',
	certificateId: NUMBER,
	learnerId: 'learner-1',
	name: 'Asha <script>alert("x")</script> Devi',
	district: 'Sitapur & "Hardoi"',
	courseId: 'procurement-essentials',
	courseVersion: 3,
	courseTitle: { en: 'Procurement <essentials>', hi: 'खरीद की मूल बातें', ar: 'أساسيات المشتريات' },
	percent: 93.75,
	completedAt: '2025-03-01T10:00:00.000Z',
	issuedAt: '2025-03-02T08:30:00.000Z',
	verifyPath: verifyPath(NUMBER)
};

let store: MemoryStore;
let app: FastifyInstance;

beforeEach(async () => {
	store = new MemoryStore();
	app = Fastify();
	installErrorHandlers(app);
	// As server.ts has it: the app's CSP on every answer, which the verify page must replace.
	await app.register(helmet, { contentSecurityPolicy: { useDefaults: false, directives: appDirectives({ indexHtml: '<script>start()</script>', scripts: [] }) } });
	await app.register(verifyRoutes, { store });
});

afterEach(async () => {
	await app.close();
});

async function register(doc: object = certificate) {
	await store.ensureDatabase(CERTIFICATES_DATABASE);
	await store.database(CERTIFICATES_DATABASE).put(doc as Certificate);
}

describe('GET /verify/<certificateId>', () => {
	it('confirms a registered certificate on a script-free page, with everything escaped', async () => {
		await register();
		const res = await app.inject({ url: `/verify/${NUMBER}` });
		expect(res.statusCode).toBe(200);
		expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(res.headers['cache-control']).toBe('no-cache');
		expect(res.headers['content-security-policy']).toBe(VERIFY_PAGE_CSP);
		const page = res.body;
		expect(page).toContain('<html lang="en">');
		expect(page).toContain('✓ Verified');
		expect(page).toContain('Asha &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Devi');
		expect(page).toContain('Sitapur &amp; &quot;Hardoi&quot;');
		expect(page).toContain('Procurement &lt;essentials&gt;');
		expect(page).toContain('<span lang="hi" dir="auto">खरीद की मूल बातें</span>');
		expect(page).toContain('<time datetime="2025-03-01T10:00:00.000Z">1 March 2025</time>');
		expect(page).toContain('94%');
		expect(page).toContain(`<code>${NUMBER}</code>`);
		expect(page).not.toMatch(/<script/i);
		expect(page).not.toMatch(/\sstyle=/);
	});

	it('allows its one style block by hash, and nothing else', async () => {
		await register();
		const res = await app.inject({ url: `/verify/${NUMBER}` });
		const style = /<style>([\s\S]*?)<\/style>/.exec(res.body)?.[1] ?? '';
		const hash = createHash('sha256').update(style, 'utf8').digest('base64');
		expect(res.headers['content-security-policy']).toBe(`default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`);
	});

	it('finds a number typed by hand in lower case, with O for 0', async () => {
		await register();
		const typed = NUMBER.toLowerCase().replace(/0/g, 'o');
		expect((await app.inject({ url: `/verify/${typed}` })).statusCode).toBe(200);
	});

	it('answers a 404 page for an unknown or malformed number, before anything was ever issued too', async () => {
		const unknown = await app.inject({ url: '/verify/01ARZ3NDEKTSV4RRFFQ69G5FAV' });
		expect(unknown.statusCode).toBe(404);
		expect(unknown.headers['content-security-policy']).toBe(VERIFY_PAGE_CSP);
		expect(unknown.headers['cache-control']).toBe('no-cache');
		expect(unknown.body).toContain('No certificate with this number');

		await register();
		for (const url of ['/verify/01ARZ3NDEKTSV4RRFFQ69G5FAV', '/verify/not-a-number', `/verify/${NUMBER}X`, '/verify/%3Cscript%3E']) {
			const res = await app.inject({ url });
			expect(res.statusCode, url).toBe(404);
			expect(res.body).toContain('No certificate with this number');
			expect(res.body).not.toContain('<script');
		}
	});

	it('does not show a registry document that is not a valid certificate of that number', async () => {
		const other = certificateIdFor(certificateKey('another-secret-of-at-least-32-characters'), 'learner-1', 'x');
		await register({ ...certificate, _id: registryCertificateDocId(other) });
		expect((await app.inject({ url: `/verify/${other}` })).statusCode).toBe(404);
	});

	it('answers a store failure as a server error, not as a missing certificate', async () => {
		store.database = () => {
			throw new StoreError(503, 'service_unavailable', 'CouchDB is not answering');
		};
		const res = await app.inject({ url: `/verify/${NUMBER}` });
		expect(res.statusCode).toBeGreaterThanOrEqual(500);
		expect(res.headers['content-type']).toMatch(/^application\/json/);
		expect(res.json()).toEqual({ error: expect.any(String), reason: 'The server could not complete this request.' });
	});
});
