/**
 * The sync-server's account routes (docs/sync.md): register, log in, refresh the access
 * token, log out. Answers are checked before use; failures become an `AccountError` named by the
 * CouchDB `error` of the answer (stable), never by its `reason` (human text that may change).
 * Runs in the browser and in Node (the benchmark): no `$app`, no DOM beyond `fetch`.
 */
import { z } from '../course-format/zod.js';
import { parseRetryAfter } from './backoff.js';

/** What the server answers to register and login. */
export interface AccountSession {
	learnerId: string;
	/** The learner's database on the server, used as is in `/sync/<db>`. */
	db: string;
	accessToken: string;
	refreshToken: string;
	/** ISO time. */
	accessExpiresAt: string;
	name: string;
	district: string;
}

export interface AccessToken {
	accessToken: string;
	accessExpiresAt: string;
}

export interface Registration {
	username: string;
	password: string;
	name: string;
	district: string;
	/** The id the phone already uses, so its events (which carry it) stay valid. */
	learnerId?: string;
	language?: string;
}

/**
 * Why an account call failed, for the learner: `conflict` (username or learner taken),
 * `unauthorized` (wrong username or password, or a refresh token no longer valid),
 * `too_many_requests`, `bad_request` (what was sent was refused), `offline` (no answer at all),
 * `server` (the server failed, or answered something this app cannot read).
 */
export type AccountProblem = 'bad_request' | 'unauthorized' | 'conflict' | 'too_many_requests' | 'offline' | 'server';

export class AccountError extends Error {
	override name = 'AccountError';
	constructor(
		readonly problem: AccountProblem,
		/** The CouchDB `error` name the server gave, when it gave one. */
		readonly couchError?: string,
		readonly retryAfterMs?: number,
		/** The HTTP status; absent when no answer came. */
		readonly status?: number
	) {
		super(`account request failed: ${problem}${couchError ? ` (${couchError})` : ''}`);
	}
}

const text = z.string().min(1).max(2000);
const isoTime = z.iso.datetime();
const sessionSchema = z.object({
	learnerId: z.string().min(1).max(100),
	db: z.string().regex(/^[a-z][a-z0-9_$()+/-]{0,254}$/, 'a CouchDB database name'),
	accessToken: text,
	refreshToken: text,
	accessExpiresAt: isoTime,
	name: z.string().min(1).max(100),
	district: z.string().min(1).max(100)
});
const accessSchema = z.object({ accessToken: text, accessExpiresAt: isoTime });
const couchErrorSchema = z.object({ error: z.string(), reason: z.string().optional() });

/** CouchDB error names the learner gets a message for; any other refusal reads as `bad_request`. */
const PROBLEM_BY_NAME: Record<string, AccountProblem> = {
	bad_request: 'bad_request',
	unauthorized: 'unauthorized',
	conflict: 'conflict',
	too_many_requests: 'too_many_requests'
};

export interface AccountApiOptions {
	/** Where the server is: the app's own origin in the browser, a URL in Node. */
	baseUrl: string;
	fetch?: typeof fetch;
	now?: () => number;
}

export interface AccountApi {
	register(registration: Registration): Promise<AccountSession>;
	login(username: string, password: string): Promise<AccountSession>;
	refresh(refreshToken: string): Promise<AccessToken>;
	logout(refreshToken: string): Promise<void>;
}

export function accountApi(options: AccountApiOptions): AccountApi {
	const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
	const now = options.now ?? Date.now;

	async function post(path: string, body: object): Promise<Response> {
		let response: Response;
		try {
			response = await doFetch(new URL(path, options.baseUrl), {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
				body: JSON.stringify(body),
				// Tokens travel in the body and the Authorization header, never in cookies.
				credentials: 'omit'
			});
		} catch {
			throw new AccountError('offline');
		}
		if (response.ok) return response;
		throw await failure(response);
	}

	async function failure(response: Response): Promise<AccountError> {
		const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), now());
		const parsed = couchErrorSchema.safeParse(await response.json().catch(() => undefined));
		const name = parsed.success ? parsed.data.error : undefined;
		if (response.status >= 500) return new AccountError('server', name, retryAfterMs, response.status);
		const problem = (name ? PROBLEM_BY_NAME[name] : undefined) ?? (response.status === 429 ? 'too_many_requests' : 'bad_request');
		return new AccountError(problem, name, retryAfterMs, response.status);
	}

	async function answer<T>(response: Response, schema: z.ZodType<T>): Promise<T> {
		const parsed = schema.safeParse(await response.json().catch(() => undefined));
		if (!parsed.success) throw new AccountError('server', undefined, undefined, response.status);
		return parsed.data;
	}

	return {
		async register(registration) {
			return answer(await post('/api/auth/register', registration), sessionSchema);
		},
		async login(username, password) {
			return answer(await post('/api/auth/login', { username, password }), sessionSchema);
		},
		async refresh(refreshToken) {
			return answer(await post('/api/auth/refresh', { refreshToken }), accessSchema);
		},
		async logout(refreshToken) {
			await post('/api/auth/logout', { refreshToken });
		}
	};
}
