/**
 * CouchDB's query strings as PouchDB options. CouchDB takes some parameters as JSON text
 * (`startkey="a"`, `open_revs=["1-x"]`) and the rest as plain words; PouchDB wants values. A
 * value that cannot be read is `400 bad_request`, as CouchDB answers it. Only parameters the
 * store supports are passed on, so nothing a phone sends reaches PouchDB unchecked.
 */
import { StoreError, type JsonObject, type Query } from './store.js';

const bad = (reason: string) => new StoreError(400, 'bad_request', reason);

function flag(query: Query, name: string): boolean | undefined {
	const value = query[name];
	if (value === undefined) return undefined;
	if (value === 'true') return true;
	if (value === 'false') return false;
	throw bad(`Invalid boolean parameter: ${name}`);
}

function count(query: Query, name: string): number | undefined {
	const value = query[name];
	if (value === undefined) return undefined;
	if (!/^\d{1,15}$/.test(value)) throw bad(`Invalid ${name}: a whole number is expected`);
	return Number(value);
}

function json(query: Query, name: string): unknown {
	const value = query[name];
	if (value === undefined) return undefined;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		throw bad(`Invalid ${name}: JSON is expected`);
	}
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

function put(options: Record<string, unknown>, name: string, value: unknown): void {
	if (value !== undefined) options[name] = value;
}

/**
 * `since` as PouchDB's embedded adapters need it: a number or `now`. It arrives as text, and a
 * text `since` makes PouchDB compare sequences as strings and answer from the start every time,
 * so a pull would loop forever. A CouchDB sequence (`12-g1AAAA…`) counts from its number: the
 * phone may be sent a few changes twice, which replication ignores.
 */
export function sinceOf(query: Query): number | 'now' {
	const since = query.since;
	if (since === undefined || since === '') return 0;
	if (since === 'now') return 'now';
	const match = /^(\d{1,15})(?:-.*)?$/s.exec(since);
	if (!match?.[1]) throw bad('Invalid since: a sequence number is expected');
	return Number(match[1]);
}

export function getOptions(query: Query = {}): Record<string, unknown> {
	const options: Record<string, unknown> = {};
	put(options, 'rev', query.rev);
	put(options, 'revs', flag(query, 'revs'));
	put(options, 'revs_info', flag(query, 'revs_info'));
	put(options, 'latest', flag(query, 'latest'));
	put(options, 'conflicts', flag(query, 'conflicts'));
	put(options, 'deleted_conflicts', flag(query, 'deleted_conflicts'));
	if (query.open_revs !== undefined) {
		const openRevs = query.open_revs === 'all' ? 'all' : json(query, 'open_revs');
		if (openRevs !== 'all' && !isStringArray(openRevs)) throw bad('Invalid open_revs: "all" or a list of revisions is expected');
		options.open_revs = openRevs;
	}
	return options;
}

/** `_bulk_get`'s query: `revs` and `latest`. */
export function bulkGetOptions(query: Query = {}): { revs?: boolean; latest?: boolean } {
	const options: { revs?: boolean; latest?: boolean } = {};
	put(options, 'revs', flag(query, 'revs'));
	put(options, 'latest', flag(query, 'latest'));
	return options;
}

/** `_changes` options, without the feed: the store waits for a long-poll itself. */
export function changesOptions(query: Query, body: JsonObject | undefined): Record<string, unknown> {
	const options: Record<string, unknown> = { since: sinceOf(query) };
	put(options, 'limit', count(query, 'limit'));
	put(options, 'include_docs', flag(query, 'include_docs'));
	put(options, 'conflicts', flag(query, 'conflicts'));
	put(options, 'descending', flag(query, 'descending'));
	if (query.style !== undefined) {
		if (query.style !== 'all_docs' && query.style !== 'main_only') throw bad('Invalid style: all_docs or main_only');
		options.style = query.style;
	}
	const filter = query.filter;
	if (filter !== undefined) {
		if (filter !== '_doc_ids') throw bad(`Unsupported filter: ${filter.slice(0, 100)}`);
		const docIds = body?.doc_ids ?? json(query, 'doc_ids');
		if (!isStringArray(docIds)) throw bad('filter=_doc_ids needs doc_ids: a list of document ids');
		options.doc_ids = docIds;
	}
	return options;
}

export function allDocsOptions(query: Query = {}, body: JsonObject | undefined = undefined): Record<string, unknown> {
	const options: Record<string, unknown> = {};
	put(options, 'include_docs', flag(query, 'include_docs'));
	put(options, 'conflicts', flag(query, 'conflicts'));
	put(options, 'descending', flag(query, 'descending'));
	put(options, 'inclusive_end', flag(query, 'inclusive_end'));
	put(options, 'update_seq', flag(query, 'update_seq'));
	put(options, 'limit', count(query, 'limit'));
	put(options, 'skip', count(query, 'skip'));
	put(options, 'key', json(query, 'key'));
	put(options, 'startkey', json(query, 'startkey') ?? json(query, 'start_key'));
	put(options, 'endkey', json(query, 'endkey') ?? json(query, 'end_key'));
	const keys = body?.keys ?? json(query, 'keys');
	if (keys !== undefined) {
		if (!isStringArray(keys)) throw bad('Invalid keys: a list of document ids is expected');
		options.keys = keys;
	}
	return options;
}

/** `timeout` of a long-poll in milliseconds; CouchDB's default is a minute. */
export function longpollTimeout(query: Query): number {
	return count(query, 'timeout') ?? 60_000;
}
