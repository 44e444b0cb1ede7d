/**
 * CouchDB's answer shapes where PouchDB (and PouchDB-based servers) write them differently, so
 * every store answers alike whatever is behind it.
 */
import type { JsonObject } from './store.js';

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

type Failure = { name?: unknown; error?: unknown; reason?: unknown; message?: unknown; rev?: unknown };

/**
 * A `_bulk_get` answer as CouchDB 3 writes it. PouchDB says `{missing: rev}` (and error objects
 * with `name`/`message`) where CouchDB says `{error: {id, rev, error: "not_found", reason: "missing"}}`.
 */
export function bulkGetResult(answer: unknown): JsonObject {
	if (!isObject(answer) || !Array.isArray(answer.results)) return isObject(answer) ? answer : { results: [] };
	const results = answer.results.map((item: unknown) => {
		if (!isObject(item) || !Array.isArray(item.docs)) return item;
		const id = item.id;
		const docs = item.docs.map((entry: unknown) => {
			if (!isObject(entry)) return entry;
			if (typeof entry.missing === 'string') return { error: { id, rev: entry.missing, error: 'not_found', reason: 'missing' } };
			if (isObject(entry.error)) {
				const failure = entry.error as Failure;
				const error = typeof failure.error === 'string' ? failure.error : typeof failure.name === 'string' ? failure.name : 'unknown_error';
				const reason = typeof failure.reason === 'string' ? failure.reason : typeof failure.message === 'string' ? failure.message : error;
				return { error: { id, rev: typeof failure.rev === 'string' ? failure.rev : 'undefined', error, reason } };
			}
			return entry;
		});
		return { id, docs };
	});
	return { results };
}
