/**
 * The documents of the accounts database, `sikho-accounts`, and the names that tie them to a
 * learner's own database. Each kind lives under its own id prefix, so a `put` without `_rev` is
 * the reservation: the store's 409 decides who got a username or a learner id.
 *
 * - `user:<username key>` — the account: password hash, learner id, name and district.
 * - `learner:<learnerId>` — reserves the learner id; `username` says which account holds it
 *   (`null`: released by a registration that lost its username, free again).
 * - `refresh:<tokenId>` — one signed-in device: the SHA-256 of its refresh token's secret.
 *
 * Read back as loose objects so fields a later version adds survive an update by this one.
 */
import { z } from '../../../src/lib/course-format/zod.js';
import { learnerIdSchema } from '../../../src/lib/progress-model/events.js';

export const ACCOUNTS_DB = 'sikho-accounts';

/**
 * A learner id the server accepts for an account: the progress model's rule, narrowed to what
 * a CouchDB database name may hold after `learner-` (lower-case letters, digits, `-`). The
 * phone's UUIDs fit it.
 */
export const accountLearnerIdSchema = learnerIdSchema.regex(/^[a-z0-9-]{8,64}$/, '8 to 64 lower-case letters, digits or "-" (a UUID)');

/** The learner's database on the server (docs/sync.md). */
export const learnerDatabase = (learnerId: string) => `learner-${learnerId}`;

export const userDocId = (usernameKey: string) => `user:${usernameKey}`;
export const learnerDocId = (learnerId: string) => `learner:${learnerId}`;
export const refreshDocId = (tokenId: string) => `refresh:${tokenId}`;

const stored = { _id: z.string(), _rev: z.string() };
const isoTime = z.iso.datetime({ precision: 3 });

export const userDocSchema = z.looseObject({
	...stored,
	type: z.literal('user'),
	/** As the learner typed it (NFKC); the id holds the lower-cased key. */
	username: z.string(),
	learnerId: z.string(),
	/** scrypt PHC string (password.ts). */
	password: z.string(),
	name: z.string(),
	district: z.string(),
	language: z.string().optional(),
	createdAt: isoTime
});
export type UserDoc = z.infer<typeof userDocSchema>;

export const learnerDocSchema = z.looseObject({
	...stored,
	type: z.literal('learner'),
	username: z.string().nullable(),
	reservedAt: isoTime
});
export type LearnerDoc = z.infer<typeof learnerDocSchema>;

export const refreshDocSchema = z.looseObject({
	...stored,
	type: z.literal('refresh'),
	learnerId: z.string(),
	/** SHA-256 of the token's secret, hex: a leaked accounts database yields no usable token. */
	secretHash: z.string(),
	createdAt: isoTime,
	lastUsedAt: isoTime,
	expiresAt: isoTime,
	revokedAt: isoTime.optional()
});
export type RefreshDoc = z.infer<typeof refreshDocSchema>;
