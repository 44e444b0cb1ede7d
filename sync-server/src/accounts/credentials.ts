/**
 * What learners send to the account routes, checked before anything is looked up or hashed.
 *
 * Usernames are NFKC-normalised (so full-width or composed forms typed on another keyboard are
 * the same name) and compared lower-cased (`usernameKey`). They are letters of any script,
 * digits and `. _ @ + -`: no spaces, which learners mistype and cannot see, and nothing that
 * needs escaping in a document id or a URL.
 */
import { z } from '../../../src/lib/course-format/zod.js';
import { languageSchema } from '../../../src/lib/course-format/manifest.js';
import { problemsOf } from '../../../src/lib/progress-model/events.js';
import { personText } from '../../../src/lib/progress-model/profile.js';
import { AccountError } from './account-errors.js';
import { accountLearnerIdSchema } from './account-docs.js';

export const USERNAME_PATTERN = /^[\p{L}\p{M}\p{N}._@+-]+$/u;

export const usernameSchema = z
	.string()
	.max(1000)
	.transform((username) => username.normalize('NFKC'))
	.pipe(z.string().min(3).max(64).regex(USERNAME_PATTERN, 'letters, digits, ".", "_", "@", "+" or "-", no spaces'));

/** The form a username is compared and stored under. */
export const usernameKey = (username: string) => username.normalize('NFKC').toLowerCase();

export const registrationSchema = z.object({
	username: usernameSchema,
	password: z.string().min(8).max(200),
	name: personText,
	district: personText,
	learnerId: accountLearnerIdSchema.optional(),
	language: languageSchema.optional()
});
export type Registration = z.infer<typeof registrationSchema>;

export const credentialsSchema = z.object({
	username: usernameSchema,
	// Any length up to the cap: a too-short password is simply wrong, like any other.
	password: z.string().min(1).max(200)
});
export type Credentials = z.infer<typeof credentialsSchema>;

export const refreshTokenBodySchema = z.object({ refreshToken: z.string().min(1).max(200) });

/** The body as `schema` reads it, or 400 naming every problem (never echoing the values: one may be a password). */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
	const parsed = schema.safeParse(body);
	if (!parsed.success) throw new AccountError(400, problemsOf(parsed.error, 'body').join('; '));
	return parsed.data;
}
