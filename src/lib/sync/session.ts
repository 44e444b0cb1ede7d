/**
 * One learner's tokens while syncing: hands out an access token, refreshing it first when the
 * phone's clock says it has run out, and refreshes on demand when the server says so (a phone's
 * clock can be wrong either way). A refresh is single-flight: the replication's parallel requests
 * that all meet an expired token wait for one refresh, not one each.
 *
 * A refresh the server refuses (401: the refresh token expired or was revoked) means the learner
 * must sign in again; nothing local is touched, and syncing stops until they do.
 */
import { AccountError, type AccessToken, type AccountApi } from './account-api.js';

/** The account as kept on the phone (in the `sikho-profiles` registry, never in the synced database). */
export interface LearnerAccount {
	username: string;
	db: string;
	refreshToken: string;
	accessToken: string;
	/** ISO time. */
	accessExpiresAt: string;
	/** The server refused the refresh token: sync waits until the learner signs in again. */
	signInNeeded?: boolean;
}

/** Refresh this long before the expiry the phone's clock sees, so a request does not set off with a token about to lapse. */
const EARLY_REFRESH_MS = 30_000;

/** Thrown (and remembered) when the learner must sign in again. */
export class SignInNeededError extends Error {
	override name = 'SignInNeededError';
	constructor() {
		super('the server no longer accepts this phone’s sign-in');
	}
}

export interface TokenSessionOptions {
	account: LearnerAccount;
	api: Pick<AccountApi, 'refresh'>;
	/** Keeps the changed account (a new access token, or the need to sign in) on the phone. */
	save: (account: LearnerAccount) => Promise<void>;
	now?: () => number;
}

export class TokenSession {
	private account: LearnerAccount;
	private refreshing: Promise<string> | undefined;

	constructor(private readonly options: TokenSessionOptions) {
		this.account = { ...options.account };
	}

	get signInNeeded(): boolean {
		return this.account.signInNeeded === true;
	}

	get db(): string {
		return this.account.db;
	}

	/** A token to send: the current one, or a fresh one when the clock says it has expired. */
	async accessToken(): Promise<string> {
		if (this.signInNeeded) throw new SignInNeededError();
		const now = this.options.now?.() ?? Date.now();
		const expires = Date.parse(this.account.accessExpiresAt);
		if (!this.account.accessToken || !(expires - EARLY_REFRESH_MS > now)) return this.refresh(this.account.accessToken);
		return this.account.accessToken;
	}

	/**
	 * A new access token. `rejected` is the token the server refused: when another request has
	 * already replaced it, that newer token is used without asking the server again.
	 */
	refresh(rejected: string): Promise<string> {
		if (this.signInNeeded) return Promise.reject(new SignInNeededError());
		if (this.account.accessToken && this.account.accessToken !== rejected) return Promise.resolve(this.account.accessToken);
		this.refreshing ??= this.doRefresh().finally(() => {
			this.refreshing = undefined;
		});
		return this.refreshing;
	}

	private async doRefresh(): Promise<string> {
		let fresh: AccessToken;
		try {
			fresh = await this.options.api.refresh(this.account.refreshToken);
		} catch (error) {
			if (error instanceof AccountError && error.problem === 'unauthorized') {
				this.account = { ...this.account, signInNeeded: true };
				await this.options.save(this.account);
				throw new SignInNeededError();
			}
			throw error;
		}
		// The expiry as this phone's clock will see it: the token's lifetime (its own `exp - iat`,
		// both by the server's clock) from now. A phone whose clock is days off would otherwise take
		// every fresh token for an expired one and refresh before every request.
		const lifetimeMs = tokenLifetimeMs(fresh.accessToken);
		const now = this.options.now?.() ?? Date.now();
		const accessExpiresAt = lifetimeMs === undefined ? fresh.accessExpiresAt : new Date(now + lifetimeMs).toISOString();
		this.account = { ...this.account, ...fresh, accessExpiresAt };
		await this.options.save(this.account);
		return fresh.accessToken;
	}
}

/** `exp - iat` of a JWT, in ms, read without checking it (the server checks it); undefined if it does not say. */
export function tokenLifetimeMs(token: string): number | undefined {
	try {
		const payload = token.split('.')[1];
		if (!payload) return undefined;
		const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
		const { exp, iat } = JSON.parse(json) as { exp?: unknown; iat?: unknown };
		return typeof exp === 'number' && typeof iat === 'number' && exp > iat ? (exp - iat) * 1000 : undefined;
	} catch {
		return undefined;
	}
}
