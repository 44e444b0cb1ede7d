/**
 * Access tokens: short-lived JWTs (HS256, `jose`) that the sync routes check without reading any
 * database, so a replication request costs no accounts lookup. Claims: `sub` (the learner id),
 * `db` (the one database the bearer may replicate), `iss` 'sikho', `iat`, `exp`.
 *
 * Short (15 minutes) because they cannot be revoked: logging out revokes the refresh token, and
 * an access token already handed out lives until it expires.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { errors, jwtVerify, SignJWT } from 'jose';
import { ACCESS_TOKEN_EXPIRED, ACCESS_TOKEN_INVALID, unauthorized } from './account-errors.js';
import { accountLearnerIdSchema, learnerDatabase } from './account-docs.js';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
const ISSUER = 'sikho';
const ALGORITHM = 'HS256';
/** Shorter than this and HS256's key is guessable offline from one token. */
export const MIN_SECRET_BYTES = 32;

/** Who a request is from, once its access token checks out. */
export interface LearnerAuth {
	learnerId: string;
	/** The learner's server database, `learner-<learnerId>`: the only one this token opens. */
	db: string;
}

/** What the sync routes call first: the learner behind `Authorization: Bearer …`, or a 401 thrown. */
export type Authenticate = (request: { headers: IncomingHttpHeaders }) => Promise<LearnerAuth>;

export interface AccessGrant {
	accessToken: string;
	/** ISO time, so the app can refresh a little before it. */
	accessExpiresAt: string;
}

export interface AccessTokenOptions {
	secret: Uint8Array;
	now: () => Date;
	lifetimeSeconds?: number;
}

const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+) *$/i;

export class AccessTokens {
	private readonly secret: Uint8Array;
	private readonly now: () => Date;
	private readonly lifetimeSeconds: number;

	constructor({ secret, now, lifetimeSeconds = ACCESS_TOKEN_SECONDS }: AccessTokenOptions) {
		if (secret.byteLength < MIN_SECRET_BYTES) throw new Error(`The token secret must be at least ${MIN_SECRET_BYTES} bytes`);
		this.secret = secret;
		this.now = now;
		this.lifetimeSeconds = lifetimeSeconds;
	}

	async issue(learnerId: string): Promise<AccessGrant> {
		const issuedAt = Math.floor(this.now().getTime() / 1000);
		const expiresAt = issuedAt + this.lifetimeSeconds;
		const accessToken = await new SignJWT({ db: learnerDatabase(learnerId) })
			.setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
			.setIssuer(ISSUER)
			.setSubject(learnerId)
			.setIssuedAt(issuedAt)
			.setExpirationTime(expiresAt)
			.sign(this.secret);
		return { accessToken, accessExpiresAt: new Date(expiresAt * 1000).toISOString() };
	}

	/** The learner a token speaks for. Throws 401 `ACCESS_TOKEN_EXPIRED` for an expired one, 401 `ACCESS_TOKEN_INVALID` otherwise. */
	async verify(token: string): Promise<LearnerAuth> {
		let payload: { sub?: unknown; db?: unknown };
		try {
			// Only HS256: a token naming another algorithm (`none`, or RS256 with our secret as a "public key") is refused.
			({ payload } = await jwtVerify(token, this.secret, { algorithms: [ALGORITHM], issuer: ISSUER, currentDate: this.now() }));
		} catch (error) {
			if (error instanceof errors.JWTExpired) throw unauthorized(ACCESS_TOKEN_EXPIRED);
			throw unauthorized(ACCESS_TOKEN_INVALID);
		}
		const learnerId = accountLearnerIdSchema.safeParse(payload.sub);
		if (!learnerId.success || payload.db !== learnerDatabase(learnerId.data)) throw unauthorized(ACCESS_TOKEN_INVALID);
		return { learnerId: learnerId.data, db: payload.db };
	}

	/**
	 * `authenticate(request)` for the sync routes: reads `Authorization: Bearer <token>`. Bound, so
	 * it can be handed around as a plain function.
	 */
	readonly authenticate: Authenticate = async (request) => {
		const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
		if (!token) throw unauthorized(ACCESS_TOKEN_INVALID);
		return this.verify(token);
	};
}
