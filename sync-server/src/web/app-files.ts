/**
 * Serves the built PWA from the same origin as the API, so the service worker, the manifest and
 * the API share one origin and one set of security headers.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorBody } from '../http/errors.js';
import { cacheControlFor, REVALIDATE } from './cache-policy.js';
import type { BuiltApp } from './content-security-policy.js';

/** Paths the server answers itself; everything else the app's router draws. */
export const SERVER_PREFIXES = ['/api/', '/sync/', '/content/', '/verify/', '/_app/'];

export class AppNotBuiltError extends Error {
	override name = 'AppNotBuiltError';
}

/** Reads the shell page and the built scripts once at start: the CSP is derived from them. */
export async function readBuiltApp(appDir: string): Promise<BuiltApp> {
	let indexHtml: string;
	try {
		indexHtml = await readFile(join(appDir, 'index.html'), 'utf8');
	} catch {
		throw new AppNotBuiltError(`No built app in ${appDir}: run "npm run build:app" (npm start does this for you).`);
	}
	const immutable = join(appDir, '_app', 'immutable');
	const names = await readdir(immutable, { recursive: true }).catch(() => []);
	const scripts = await Promise.all(
		names.filter((name) => name.endsWith('.js')).map((name) => readFile(join(immutable, name), 'utf8'))
	);
	return { indexHtml, scripts };
}

function wantsAppScreen(request: FastifyRequest): boolean {
	if (request.method !== 'GET' && request.method !== 'HEAD') return false;
	const path = request.url.split('?')[0] ?? '/';
	if (SERVER_PREFIXES.some((prefix) => path.startsWith(prefix))) return false;
	// Browsers ask for text/html when they navigate; a missing image or script gets a real 404.
	return (request.headers.accept ?? '').includes('text/html');
}

export async function appFiles(app: FastifyInstance, { appDir }: { appDir: string }): Promise<void> {
	await app.register(fastifyStatic, {
		root: appDir,
		preCompressed: true,
		cacheControl: false,
		setHeaders(reply, path) {
			reply.header('cache-control', cacheControlFor(relative(appDir, path)));
		}
	});

	app.setNotFoundHandler((request, reply) => {
		if (wantsAppScreen(request)) {
			return reply.header('cache-control', REVALIDATE).sendFile('index.html');
		}
		return reply.code(404).send(errorBody(404, `Nothing at ${request.method} ${request.url.split('?')[0]}`));
	});
}
