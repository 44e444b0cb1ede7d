/**
 * `GET /verify/<certificateId>`: anyone with a certificate's number (printed, or in its QR code)
 * can check it here. Public, no auth: the number is unguessable (certificate-id.ts), so the page
 * shows only certificates whose learners handed the number out.
 */
import type { FastifyPluginAsync } from 'fastify';
import { certificateIdSchema, CERTIFICATES_DATABASE, parseCertificate, registryCertificateDocId, type Certificate } from '../../../src/lib/progress-model/certificate.js';
import { StoreError, type Store } from '../store/store.js';
import { notFoundPage, verifiedPage, VERIFY_PAGE_CSP } from './verify-page.js';

export interface VerifyRoutesOptions {
	store: Store;
}

/** Crockford base32 reads O as 0 and I, L as 1, in either case: a number typed from paper still matches. */
const normalized = (typed: string) => typed.toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');

async function registered(store: Store, typed: string): Promise<Certificate | undefined> {
	const certificateId = normalized(typed);
	if (!certificateIdSchema.safeParse(certificateId).success) return undefined;
	let stored: unknown;
	try {
		stored = await store.database(CERTIFICATES_DATABASE).get(registryCertificateDocId(certificateId));
	} catch (error) {
		// No such document, or no registry yet because nothing was ever issued.
		if (error instanceof StoreError && error.status === 404) return undefined;
		throw error;
	}
	const parsed = parseCertificate(stored);
	return parsed.ok && parsed.value.certificateId === certificateId ? parsed.value : undefined;
}

export const verifyRoutes: FastifyPluginAsync<VerifyRoutesOptions> = async (app, { store }) => {
	app.get<{ Params: { certificateId: string } }>('/verify/:certificateId', async (request, reply) => {
		// Looked up first: a store failure then goes to the error handler as JSON, with no HTML headers set.
		const certificate = await registered(store, request.params.certificateId);
		// Replaces the app's CSP (helmet sets it on every answer): no script here, one style block allowed by its hash.
		reply
			.code(certificate ? 200 : 404)
			.header('content-security-policy', VERIFY_PAGE_CSP)
			.header('cache-control', 'no-cache')
			.header('x-robots-tag', 'noindex, nofollow')
			.type('text/html; charset=utf-8');
		return reply.send(certificate ? verifiedPage(certificate) : notFoundPage());
	});
};
