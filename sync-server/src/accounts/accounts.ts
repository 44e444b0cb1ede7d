/**
 * Learner accounts (docs/sync.md "Accounts"): registering, signing in, refreshing an
 * access token and signing out, on top of the `Store` interface only — `get` and `put` in
 * `sikho-accounts` and `ensureDatabase` for the learner's own database — so it works the same on
 * the embedded store and on CouchDB, and on several servers sharing one CouchDB.
 *
 * Registration is two reservations, each a `put` without `_rev` that the store lets exactly one
 * writer win (409 for the others): first `learner:<id>`, then `user:<username>`. Only then is
 * the learner's database created. Every way it can stop halfway leaves a state that a retry
 * finishes or that frees itself:
 * - the username is taken → the learner id reserved for it is released (`username: null`), so
 *   the phone can register the same learner under another username at once;
 * - the server stopped before writing the account, or the release above failed → the
 *   reservation names a username whose account is not this learner's: the same registration
 *   sent again carries on from it at once, and after `RESERVATION_GRACE_MS` anyone may claim it;
 * - the account was written but the answer lost, or creating the database failed → the same
 *   registration sent again (same username, password and learner id) finishes it and answers
 *   201 like the first; signing in also creates the database if it is missing.
 */
import { randomUUID } from 'node:crypto';
import { StoreError, type Database, type Store } from '../store/store.js';
import { AccessTokens, type AccessGrant, type Authenticate } from './access-tokens.js';
import { AccountError, REFRESH_TOKEN_EXPIRED, REFRESH_TOKEN_INVALID, REFRESH_TOKEN_REVOKED, unauthorized, WRONG_CREDENTIALS } from './account-errors.js';
import {
	ACCOUNTS_DB,
	learnerDatabase,
	learnerDocId,
	learnerDocSchema,
	refreshDocId,
	refreshDocSchema,
	userDocId,
	userDocSchema,
	type LearnerDoc,
	type RefreshDoc,
	type UserDoc
} from './account-docs.js';
import { usernameKey, type Credentials, type Registration } from './credentials.js';
import { Passwords, type ScryptCost } from './password.js';
import { newRefreshToken, parseRefreshToken, REFRESH_IDLE_DAYS, REFRESH_TOUCH_HOURS, secretMatches } from './refresh-tokens.js';
import type { z } from '../../../src/lib/course-format/zod.js';

/**
 * A learner-id reservation whose account never appeared may be claimed after this long. Far
 * longer than any registration takes, so a registration still under way is never robbed.
 */
export const RESERVATION_GRACE_MS = 10 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** What register and login answer (docs/api.md). */
export interface Session extends AccessGrant {
	learnerId: string;
	db: string;
	refreshToken: string;
	name: string;
	district: string;
}

export interface AccountsOptions {
	store: Store;
	/** Signs access tokens (`tokenSecret(config)`), at least 32 bytes. */
	secret: Uint8Array;
	now?: () => Date;
	/** Access-token lifetime; 15 minutes unless a test or bench says otherwise. */
	accessTokenSeconds?: number;
	/** scrypt cost of new password hashes; production keeps the default (N = 2^15). */
	passwordCost?: ScryptCost;
}

const isStoreError = (error: unknown, name: string) => error instanceof StoreError && error.error === name;

export class Accounts {
	private readonly db: Database;
	private readonly now: () => Date;
	private readonly passwords: Passwords;
	private readonly accessTokens: AccessTokens;

	/** Reads `Authorization: Bearer <access token>`: the learner and database a sync request may touch; throws 401 otherwise. */
	readonly authenticate: Authenticate;

	private accountsDb: Promise<void> | undefined;

	/**
	 * Accounts over `store`. The accounts database is made on first use, not here: a server whose
	 * CouchDB is down at start still starts, says so in `/healthz`, and serves once it is back.
	 */
	static async open(options: AccountsOptions): Promise<Accounts> {
		return new Accounts(options);
	}

	private ready(): Promise<void> {
		this.accountsDb ??= this.options.store.ensureDatabase(ACCOUNTS_DB).catch((error: unknown) => {
			this.accountsDb = undefined;
			throw error;
		});
		return this.accountsDb;
	}

	private constructor(private readonly options: AccountsOptions) {
		this.db = options.store.database(ACCOUNTS_DB);
		this.now = options.now ?? (() => new Date());
		this.passwords = new Passwords(options.passwordCost);
		this.accessTokens = new AccessTokens({ secret: options.secret, now: this.now, lifetimeSeconds: options.accessTokenSeconds });
		this.authenticate = this.accessTokens.authenticate;
	}

	async register(registration: Registration): Promise<Session> {
		await this.ready();
		const key = usernameKey(registration.username);
		const learnerId = registration.learnerId ?? randomUUID();
		// Hashed before any reservation, so a reservation is held for milliseconds, not a hash's time.
		const password = await this.passwords.hash(registration.password);
		await this.reserveLearner(learnerId, key);
		const user = {
			_id: userDocId(key),
			type: 'user' as const,
			username: registration.username,
			learnerId,
			password,
			name: registration.name,
			district: registration.district,
			...(registration.language ? { language: registration.language } : {}),
			createdAt: this.now().toISOString()
		};
		try {
			await this.db.put(user);
		} catch (error) {
			if (!isStoreError(error, 'conflict')) throw error;
			return this.repeatOrRefuse(key, learnerId, registration.password);
		}
		await this.options.store.ensureDatabase(learnerDatabase(learnerId));
		return this.openSession(user);
	}

	async login({ username, password }: Credentials): Promise<Session> {
		await this.ready();
		const user = await this.read(userDocId(usernameKey(username)), userDocSchema);
		const matches = user ? await this.passwords.verify(password, user.password) : await this.passwords.verifyNobody(password);
		if (!user || !matches) throw unauthorized(WRONG_CREDENTIALS);
		// Finishes a registration whose database was not made; on an existing database it changes nothing.
		await this.options.store.ensureDatabase(learnerDatabase(user.learnerId));
		return this.openSession(user);
	}

	/**
	 * A new access token for a valid refresh token. The refresh token is not rotated: if the
	 * answer is lost on a 2G link, a rotated token would be spent on the server while the phone
	 * still holds the old one, and the learner would be locked out until they sign in again —
	 * maybe offline for days. A refresh token is revoked by logout instead, and expires unused.
	 */
	async refresh(refreshToken: string): Promise<AccessGrant> {
		await this.ready();
		let record = await this.readRefreshToken(refreshToken);
		const now = this.now();
		this.checkUsable(record, now);
		if (now.getTime() - Date.parse(record.lastUsedAt) >= REFRESH_TOUCH_HOURS * HOUR_MS) {
			try {
				await this.db.put({ ...record, lastUsedAt: now.toISOString(), expiresAt: this.refreshExpiry(now) });
			} catch (error) {
				if (!isStoreError(error, 'conflict')) throw error;
				// Someone else wrote it meanwhile: a refresh from another tab (fine), or a logout (refused).
				record = await this.readRefreshToken(refreshToken);
				this.checkUsable(record, now);
			}
		}
		return this.accessTokens.issue(record.learnerId);
	}

	/** Revokes a refresh token; revoking it again changes nothing. 401 for a token we never issued. */
	async logout(refreshToken: string): Promise<void> {
		await this.ready();
		let record = await this.readRefreshToken(refreshToken);
		// A concurrent refresh may move `lastUsedAt` under us; the revocation must still land.
		for (let attempt = 1; record.revokedAt === undefined; attempt++) {
			try {
				await this.db.put({ ...record, revokedAt: this.now().toISOString() });
				return;
			} catch (error) {
				if (!isStoreError(error, 'conflict') || attempt >= 5) throw error;
				record = await this.readRefreshToken(refreshToken);
			}
		}
	}

	// ─── registration steps ────────────────────────────────────────────────────────────────────

	/** Holds `learner:<id>` for username `key`, or 409 when another account holds it. */
	private async reserveLearner(learnerId: string, key: string): Promise<void> {
		const reservation = { _id: learnerDocId(learnerId), type: 'learner' as const, username: key, reservedAt: this.now().toISOString() };
		try {
			await this.db.put(reservation);
			return;
		} catch (error) {
			if (!isStoreError(error, 'conflict')) throw error;
		}
		const held = await this.read(learnerDocId(learnerId), learnerDocSchema);
		// Ours from an earlier try of this registration: carry on; the username's `put` decides.
		if (held?.username === key) return;
		if (held && (await this.isAbandoned(held))) {
			try {
				await this.db.put({ ...reservation, _rev: held._rev });
				return;
			} catch (error) {
				if (!isStoreError(error, 'conflict')) throw error;
			}
		}
		throw new AccountError(409, 'This learner id already belongs to an account');
	}

	/** Released, or left long enough ago by a registration that stopped before writing its account. */
	private async isAbandoned(held: LearnerDoc): Promise<boolean> {
		if (held.username === null) return true;
		if (this.now().getTime() - Date.parse(held.reservedAt) < RESERVATION_GRACE_MS) return false;
		const owner = await this.read(userDocId(held.username), userDocSchema);
		return owner?.learnerId !== learnerIdOf(held);
	}

	/**
	 * The username was taken. If by this very learner with this password, this is a repeat of a
	 * registration whose answer was lost (or which stopped before making the database): finish
	 * it. Otherwise 409, and give back the learner id reserved for the attempt.
	 */
	private async repeatOrRefuse(key: string, learnerId: string, password: string): Promise<Session> {
		const owner = await this.read(userDocId(key), userDocSchema);
		if (owner?.learnerId === learnerId) {
			if (await this.passwords.verify(password, owner.password)) {
				await this.options.store.ensureDatabase(learnerDatabase(learnerId));
				return this.openSession(owner);
			}
			// The reservation is the owner's: keep it.
		} else {
			await this.releaseLearner(learnerId, key);
		}
		throw new AccountError(409, 'This username is taken');
	}

	private async releaseLearner(learnerId: string, key: string): Promise<void> {
		try {
			const held = await this.read(learnerDocId(learnerId), learnerDocSchema);
			if (held?.username === key) await this.db.put({ ...held, username: null });
		} catch {
			// Best effort: a reservation left behind frees itself after RESERVATION_GRACE_MS (isAbandoned).
		}
	}

	// ─── sessions and refresh tokens ───────────────────────────────────────────────────────────

	private async openSession(user: Pick<UserDoc, 'learnerId' | 'name' | 'district'>): Promise<Session> {
		const token = newRefreshToken();
		const now = this.now();
		await this.db.put({
			_id: refreshDocId(token.id),
			type: 'refresh',
			learnerId: user.learnerId,
			secretHash: token.secretHash,
			createdAt: now.toISOString(),
			lastUsedAt: now.toISOString(),
			expiresAt: this.refreshExpiry(now)
		});
		const grant = await this.accessTokens.issue(user.learnerId);
		return {
			learnerId: user.learnerId,
			db: learnerDatabase(user.learnerId),
			accessToken: grant.accessToken,
			refreshToken: token.token,
			accessExpiresAt: grant.accessExpiresAt,
			name: user.name,
			district: user.district
		};
	}

	private refreshExpiry(lastUsed: Date): string {
		return new Date(lastUsed.getTime() + REFRESH_IDLE_DAYS * DAY_MS).toISOString();
	}

	/** The record of a token we issued, its secret checked; 401 for anything else. */
	private async readRefreshToken(refreshToken: string): Promise<RefreshDoc> {
		const parts = parseRefreshToken(refreshToken);
		const record = parts && (await this.read(refreshDocId(parts.id), refreshDocSchema));
		if (!parts || !record || !secretMatches(parts.secret, record.secretHash)) throw unauthorized(REFRESH_TOKEN_INVALID);
		return record;
	}

	private checkUsable(record: RefreshDoc, now: Date): void {
		if (record.revokedAt !== undefined) throw unauthorized(REFRESH_TOKEN_REVOKED);
		if (Date.parse(record.expiresAt) <= now.getTime()) throw unauthorized(REFRESH_TOKEN_EXPIRED);
	}

	/** A document of the accounts database, checked; undefined when there is none. */
	private async read<T>(id: string, schema: z.ZodType<T>): Promise<T | undefined> {
		let doc: unknown;
		try {
			doc = await this.db.get(id);
		} catch (error) {
			if (isStoreError(error, 'not_found')) return undefined;
			throw error;
		}
		const parsed = schema.safeParse(doc);
		if (!parsed.success) throw new Error(`The accounts database holds a malformed ${id.split(':')[0]} document`);
		return parsed.data;
	}
}

function learnerIdOf(held: LearnerDoc): string {
	return held._id.slice('learner:'.length);
}
