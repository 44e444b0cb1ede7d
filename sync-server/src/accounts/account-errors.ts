/**
 * Failures of account calls, carrying the HTTP status the server's error handler turns into
 * CouchDB's `{error, reason}` (http/errors.ts). Callers match on `statusCode` (and the app on the
 * `error` name it becomes); the reason is for people, except the one the app must recognise:
 * `ACCESS_TOKEN_EXPIRED`, which tells it to refresh rather than ask the learner to sign in.
 */
export class AccountError extends Error {
	override name = 'AccountError';
	constructor(
		readonly statusCode: 400 | 401 | 409 | 429,
		message: string
	) {
		super(message);
	}
}

export const ACCESS_TOKEN_EXPIRED = 'access token expired';
export const ACCESS_TOKEN_INVALID = 'missing or invalid access token';
/** The same words for an unknown username and a wrong password: neither tells which usernames exist. */
export const WRONG_CREDENTIALS = 'wrong username or password';
export const REFRESH_TOKEN_INVALID = 'invalid refresh token';
export const REFRESH_TOKEN_EXPIRED = 'refresh token expired';
export const REFRESH_TOKEN_REVOKED = 'refresh token revoked';

export const unauthorized = (reason: string) => new AccountError(401, reason);
