/**
 * Every error the server sends has CouchDB's shape, `{error, reason}`, so PouchDB clients and our
 * app read them the same way. Callers match on `error` (a stable name), never on `reason` text.
 */
import type { FastifyError, FastifyInstance } from 'fastify';

const NAMES: Record<number, string> = {
	400: 'bad_request',
	401: 'unauthorized',
	403: 'forbidden',
	404: 'not_found',
	405: 'method_not_allowed',
	409: 'conflict',
	412: 'precondition_failed',
	413: 'too_large',
	415: 'bad_content_type',
	429: 'too_many_requests',
	503: 'service_unavailable'
};

export interface ErrorBody {
	error: string;
	reason: string;
}

export function errorName(status: number): string {
	return NAMES[status] ?? (status >= 500 ? 'unknown_error' : 'bad_request');
}

export function errorBody(status: number, reason: string): ErrorBody {
	return { error: errorName(status), reason };
}

export function installErrorHandlers(app: FastifyInstance): void {
	app.setErrorHandler((error: FastifyError, request, reply) => {
		const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
		if (status >= 500) {
			request.log.error({ err: error }, 'request failed');
			// Internals stay in the log; the client learns only that it was our fault.
			return reply.code(status).send(errorBody(status, 'The server could not complete this request.'));
		}
		return reply.code(status).send(errorBody(status, error.message));
	});
}
