/**
 * The `fetch` PouchDB's HTTP adapter uses to reach `/sync/<db>` (`new PouchDB(url, { fetch })`).
 * One is made per sync, so what it counts belongs to that sync. It:
 *
 * - sends the access token as `Authorization: Bearer …` (and no cookies);
 * - gzips request bodies over 1 KB (`_bulk_docs`, `_revs_diff`: JSON of repetitive event
 *   documents shrinks four- to eight-fold, and upload is the slow half of a 2G link);
 * - counts the bytes of every request body as sent (after compression) and of every response
 *   body as received. Received bytes are the *decoded* body: what the server's gzip saved is not
 *   subtracted, so the figure is an upper bound of the wire bytes. (Resource Timing's
 *   `encodedBodySize` would give the wire size in a browser, but its entries arrive after the
 *   response, may be dropped when the buffer is full, and do not exist in Node, where the
 *   benchmark drives this module.) Headers are not counted;
 * - on a 401 refreshes the access token once (single-flight, in `TokenSession`) and sends the
 *   request again. Any 401 is treated so, not only one whose reason says "expired": a server whose
 *   signing secret changed also refuses good tokens, and a refresh mends that too. A refresh the
 *   server refuses means the learner must sign in again: the 401 goes back to PouchDB, which
 *   stops replicating, and `signInNeeded` says why.
 *
 * Runs in browsers and in Node 20 (fetch, CompressionStream and Blob are global in both).
 */
import { parseRetryAfter, type Failure } from './backoff.js';
import { AccountError } from './account-api.js';
import { SignInNeededError } from './session.js';

/** Bodies at least this big are gzipped; smaller ones gain less than gzip's ~20-byte frame costs. */
export const GZIP_OVER_BYTES = 1024;

export interface SyncTraffic {
	/** Request body bytes as sent (compressed when gzipped). */
	sent: number;
	/** Response body bytes, decoded. */
	received: number;
	requests: number;
}

export interface Tokens {
	accessToken(): Promise<string>;
	refresh(rejected: string): Promise<string>;
}

export interface SyncFetchOptions {
	tokens: Tokens;
	fetch?: typeof fetch;
	now?: () => number;
	gzipOverBytes?: number;
	/** A request (with its answer) that takes longer is given up as a dropped connection. */
	requestTimeoutMs?: number;
}

/**
 * fetch itself never gives up: a 2G link that stalls mid-answer would leave a sync "syncing"
 * forever, and no other sync of the learner could start. A minute is far longer than the largest
 * batch takes on a working 2G link (~150 KB of gzipped events at 20 kbit/s).
 */
export const REQUEST_TIMEOUT_MS = 60_000;

export interface SyncFetch {
	fetch: typeof fetch;
	readonly traffic: SyncTraffic;
	/** The last thing that went wrong with a request, for deciding whether to retry. */
	readonly lastFailure: Failure | undefined;
	/** The server refused this phone's refresh token: the learner must sign in again. */
	readonly signInNeeded: boolean;
}

type RequestInput = Parameters<typeof fetch>[0];

export function syncFetch(options: SyncFetchOptions): SyncFetch {
	const send = options.fetch ?? ((input, init) => fetch(input, init));
	const now = options.now ?? Date.now;
	const gzipOver = options.gzipOverBytes ?? GZIP_OVER_BYTES;
	const traffic: SyncTraffic = { sent: 0, received: 0, requests: 0 };
	let lastFailure: Failure | undefined;
	let signInNeeded = false;

	async function attempt(input: RequestInput, init: RequestInit, headers: Headers, body: Uint8Array<ArrayBuffer> | undefined, token: string): Promise<Response> {
		headers.set('Authorization', `Bearer ${token}`);
		traffic.requests++;
		traffic.sent += body?.byteLength ?? 0;
		try {
			return await send(input, { ...init, headers, body, credentials: 'omit' });
		} catch (error) {
			// An aborted request is PouchDB cancelling, not the network failing.
			if (!(error instanceof Error && error.name === 'AbortError')) lastFailure = { kind: 'network' };
			throw error;
		}
	}

	/** A token, or undefined when the learner must sign in again; a refresh that got no answer throws. */
	async function tokenFrom(get: () => Promise<string>): Promise<string | undefined> {
		try {
			return await get();
		} catch (error) {
			if (!(error instanceof SignInNeededError)) {
				// The refresh itself failed: retried like the request it was for.
				lastFailure =
					error instanceof AccountError && error.status !== undefined
						? { kind: 'http', status: error.status, retryAfterMs: error.retryAfterMs }
						: { kind: 'network' };
				throw error;
			}
			signInNeeded = true;
			return undefined;
		}
	}

	const syncingFetch: typeof fetch = async (input, init = {}) => {
		const controller = new AbortController();
		const giveUp = setTimeout(() => controller.abort(new DOMException('the request took too long', 'TimeoutError')), options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS);
		const cancel = () => controller.abort(init.signal?.reason);
		init.signal?.addEventListener('abort', cancel);
		try {
			return await sendCounted(input, { ...init, signal: controller.signal });
		} catch (error) {
			if (controller.signal.reason instanceof DOMException && controller.signal.reason.name === 'TimeoutError') lastFailure = { kind: 'network' };
			throw error;
		} finally {
			clearTimeout(giveUp);
			init.signal?.removeEventListener('abort', cancel);
		}
	};

	const sendCounted = async (input: RequestInput, init: RequestInit): Promise<Response> => {
		const headers = new Headers(init.headers);
		const body = await requestBody(init.body, headers, gzipOver);
		const first = await tokenFrom(() => options.tokens.accessToken());
		if (first === undefined) return unauthorized();

		let response = await attempt(input, init, headers, body, first);
		if (response.status === 401) {
			await response.body?.cancel();
			const fresh = await tokenFrom(() => options.tokens.refresh(first));
			if (fresh === undefined) return unauthorized();
			response = await attempt(input, init, headers, body, fresh);
		}
		if (!response.ok && response.status !== 404) {
			// 404 is PouchDB asking whether something exists (a checkpoint, a document): not a failure.
			lastFailure = { kind: 'http', status: response.status, retryAfterMs: parseRetryAfter(response.headers.get('Retry-After'), now()) };
		}
		return counted(response, traffic);
	};

	return {
		fetch: syncingFetch,
		traffic,
		get lastFailure() {
			return lastFailure;
		},
		get signInNeeded() {
			return signInNeeded;
		}
	};
}

/** The answer PouchDB gets when there is no token to send: CouchDB's own 401, so it stops as for any refusal. */
function unauthorized(): Response {
	return new Response(JSON.stringify({ error: 'unauthorized', reason: 'sign in again on this phone' }), {
		status: 401,
		headers: { 'Content-Type': 'application/json' }
	});
}

/** The body as bytes (PouchDB sends JSON text), gzipped when large enough. */
async function requestBody(body: BodyInit | null | undefined, headers: Headers, gzipOver: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
	if (body === undefined || body === null) return undefined;
	const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(await new Response(body).arrayBuffer());
	if (bytes.byteLength < gzipOver || typeof CompressionStream === 'undefined' || headers.has('Content-Encoding')) return bytes;
	headers.set('Content-Encoding', 'gzip');
	return gzip(bytes);
}

export async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
	const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Reads the answer to count it, and hands PouchDB an equal one (it reads the whole JSON anyway). */
async function counted(response: Response, traffic: SyncTraffic): Promise<Response> {
	const bytes = await response.arrayBuffer();
	traffic.received += bytes.byteLength;
	const nullBody = response.status === 204 || response.status === 304;
	return new Response(nullBody ? null : bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
}
