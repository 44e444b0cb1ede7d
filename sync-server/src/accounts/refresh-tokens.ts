/**
 * Refresh tokens: opaque `<id>.<secret>` (base64url), one per signed-in device. The id finds the
 * record (`refresh:<id>`); only the SHA-256 of the secret is stored, so someone reading the
 * accounts database cannot use what they read. A plain hash is enough here (unlike passwords):
 * the secret is 256 random bits, nothing to guess.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ID_BYTES = 16;
const SECRET_BYTES = 32;
const TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/** A refresh token stays valid this long after it was last used (sliding). */
export const REFRESH_IDLE_DAYS = 90;
/** `lastUsedAt` moves at most this often, so a learner refreshing every 15 minutes costs one write a day. */
export const REFRESH_TOUCH_HOURS = 24;

export interface NewRefreshToken {
	token: string;
	id: string;
	secretHash: string;
}

export function hashSecret(secret: string): string {
	return createHash('sha256').update(secret).digest('hex');
}

export function newRefreshToken(): NewRefreshToken {
	const id = randomBytes(ID_BYTES).toString('base64url');
	const secret = randomBytes(SECRET_BYTES).toString('base64url');
	return { token: `${id}.${secret}`, id, secretHash: hashSecret(secret) };
}

/** The parts of a token, or undefined for anything we could not have issued. */
export function parseRefreshToken(token: string): { id: string; secret: string } | undefined {
	const match = TOKEN.exec(token);
	return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

/** Whether `secret` is the one whose hash was stored, compared in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
	const given = Buffer.from(hashSecret(secret), 'hex');
	const stored = Buffer.from(storedHash, 'hex');
	return given.length === stored.length && timingSafeEqual(given, stored);
}
