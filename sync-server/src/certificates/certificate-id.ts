/**
 * The certificate number: an HMAC-SHA256 of the learner and the course under a server secret,
 * 128 bits of it written as 26 characters of Crockford base32 (a ULID's syntax, so it fits the
 * contract's pattern; it carries no time).
 *
 * Deterministic, so issuing is idempotent without coordination: two servers behind one CouchDB
 * that both see a learner finish, or one server replaying a push, make the same number, and the
 * registry's `certificate:<number>` document can exist only once. Keyed, so nobody who knows a
 * learner's id can work out the number and read their name on `/verify/<number>`: the number is
 * what the learner chooses to share.
 */
import { createHmac } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHARACTERS = 26;

/** A key for certificate numbers only, derived from the server's secret (a key is never used for two purposes). */
export function certificateKey(secret: string | Uint8Array): Buffer {
	return createHmac('sha256', secret).update('sikho certificate number v1').digest();
}

export function certificateIdFor(key: Buffer, learnerId: string, courseId: string): string {
	// Neither id can contain a newline (learnerIdSchema, idSchema), so the pair is read back one way only.
	const digest = createHmac('sha256', key).update(`${learnerId}\n${courseId}`).digest();
	let value = BigInt(`0x${digest.subarray(0, 16).toString('hex')}`);
	let id = '';
	// 26 characters hold 130 bits; 128 leave the first character at most 7, as in a ULID.
	for (let i = 0; i < CHARACTERS; i++, value >>= 5n) id = ALPHABET.charAt(Number(value & 31n)) + id;
	return id;
}
