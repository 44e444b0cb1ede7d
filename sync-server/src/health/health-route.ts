/**
 * `GET /healthz`: 200 when the server can serve the app and store data, 503 with the reasons
 * otherwise. Load balancers and `npm start` wait on it.
 */
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

export interface HealthOptions {
	appDir: string;
	dataDir: string;
}

export async function healthProblems({ appDir, dataDir }: HealthOptions): Promise<string[]> {
	const problems: string[] = [];
	await access(join(appDir, 'index.html'), constants.R_OK).catch(() => problems.push('app shell is missing'));
	await access(dataDir, constants.W_OK).catch(() => problems.push('data directory is not writable'));
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
