/**
 * `POST /share-target`: the manifest's "Share to Sikho". The app's service worker answers it on
 * the phone; it reaches the server only when no worker is there yet (Sikho never opened online on
 * that phone). The file is then not read at all: the answer sends the learner to the import
 * screen, which says to open Sikho once and share again. The connection is closed rather than
 * drained, so a large file is not paid for twice.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

/** An `onRequest` hook: answers before the body is parsed (Fastify knows no multipart parser here, and needs none). */
export async function shareTargetWithoutWorker(request: FastifyRequest, reply: FastifyReply): Promise<void> {
	if (request.method !== 'POST' || request.url.split('?')[0] !== '/share-target') return;
	await reply.code(303).header('location', '/import?shared=unavailable').header('connection', 'close').send();
}
