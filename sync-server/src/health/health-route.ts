/**
 * `GET /healthz`: 200 when the server can serve the app and store data, 503 with the reasons
 * otherwise. Load balancers and `npm start` wait on it.
 */
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/store.js';

export interface HealthOptions {
	appDir: string;
	dataDir: string;
	/** Learners' data: the embedded store's folder or CouchDB, which must be able to store now. */
	store: Pick<Store, 'problem'>;
}

export async function healthProblems({ appDir, dataDir, store }: HealthOptions): Promise<string[]> {
	const problems: string[] = [];
	await access(join(appDir, 'index.html'), constants.R_OK).catch(() => problems.push('app shell is missing'));
	await access(dataDir, constants.W_OK).catch(() => problems.push('data directory is not writable'));
	const storeProblem = await store.problem();
	if (storeProblem) problems.push(storeProblem);
	return problems;
}

export async function healthRoute(app: FastifyInstance, options: HealthOptions): Promise<void> {
	app.get('/healthz', async (_request, reply) => {
		const problems = await healthProblems(options);
		reply.header('cache-control', 'no-store');
		if (problems.length > 0) return reply.code(503).send({ status: 'unavailable', problems });
		return { status: 'ok' };
	});
}
