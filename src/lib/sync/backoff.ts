/**
 * When to try a failed sync again. Exponential backoff with full jitter (each wait is a random
 * time between zero and the exponential ceiling), so a thousand phones that lost the same
 * server at the same moment do not all come back at the same moment. Pure: the randomness is
 * passed in, so the schedule can be tested exactly.
 *
 * Only a failure that can succeed on retry is retried: the network dropped, the server failed
 * (5xx) or asked us to slow down (429, honouring Retry-After). A refusal (400, 403, 413 and the
 * other 4xx) would be refused again the same way: it is shown to the learner instead.
 */

export interface BackoffOptions {
	/** The first ceiling; doubles with each failure in a row. */
	baseMs?: number;
	/** The ceiling never grows past this. */
	capMs?: number;
	/** A number in [0, 1), like `Math.random`. */
	random?: () => number;
}

export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 5 * 60_000;
/** Retry-After beyond this is taken as this: a server's mistake must not silence a phone for days. */
const RETRY_AFTER_LIMIT_MS = 60 * 60_000;

export class Backoff {
	private failures = 0;
	private readonly baseMs: number;
	private readonly capMs: number;
	private readonly random: () => number;

	constructor(options: BackoffOptions = {}) {
		this.baseMs = options.baseMs ?? BACKOFF_BASE_MS;
		this.capMs = options.capMs ?? BACKOFF_CAP_MS;
		this.random = options.random ?? Math.random;
	}

	/** How many failures in a row so far. */
	get failuresInARow(): number {
		return this.failures;
	}

	/**
	 * Counts one more failure and says how long to wait before the next try: full jitter under
	 * `min(cap, base · 2^(failures−1))`, and never less than the server's Retry-After.
	 */
	next(retryAfterMs?: number): number {
		// The exponent stops growing once the cap is reached, so the count cannot overflow to Infinity.
		const exponent = Math.min(this.failures, 30);
		this.failures++;
		const ceiling = Math.min(this.capMs, this.baseMs * 2 ** exponent);
		const jittered = Math.floor(this.random() * ceiling);
		return retryAfterMs === undefined ? jittered : Math.max(jittered, Math.min(retryAfterMs, RETRY_AFTER_LIMIT_MS));
	}

	/** A sync went through: the next failure starts from the base again. */
	reset(): void {
		this.failures = 0;
	}
}

/** What went wrong with a request, as far as retrying is concerned. */
export type Failure = { kind: 'network' } | { kind: 'http'; status: number; retryAfterMs?: number };

/** Whether trying again later can succeed. */
export function isRetryable(failure: Failure): boolean {
	if (failure.kind === 'network') return true;
	return failure.status >= 500 || failure.status === 429 || failure.status === 408;
}

/**
 * A `Retry-After` header in milliseconds: either delay-seconds or an HTTP date (RFC 9110 §10.2.3);
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
	if (value === null) return undefined;
	const text = value.trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
