/**
 * A learner's optional 4-digit PIN on a shared phone. It keeps a colleague from opening your
 * progress by accident; it is not strong secrecy (10,000 PINs can be tried offline), so it is
 * stored only as a salted PBKDF2 hash and never leaves the phone in clear. WebCrypto: no
 * home-made crypto.
 */
import { fromBase64, toBase64 } from '$lib/course-format/bytes';
import type { PinLock } from '$lib/progress-model/profile';

export type { PinLock };
const ALGORITHM = 'PBKDF2-SHA256';

/** Enough to slow a guess on a fast machine, still quick on a cheap phone (~50 ms at 4× slower). */
const ITERATIONS = 100_000;

// Phones offer the digits of the learner's script: read Devanagari and Arabic-Indic digits too.
const DIGIT_ZEROS = [0x30, 0x966, 0x660, 0x6f0];

/** The PIN in ASCII digits, or undefined unless it is exactly four digits. */
export function readPin(typed: string): string | undefined {
	const ascii = [...typed.trim()]
		.map((char) => {
			const code = char.codePointAt(0)!;
			const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9);
			return zero === undefined ? char : String(code - zero);
		})
		.join('');
	return /^\d{4}$/.test(ascii) ? ascii : undefined;
}

async function derive(pin: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
	const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
	const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as Uint8Array<ArrayBuffer>, iterations }, key, 256);
	return new Uint8Array(bits);
}

export async function lockWithPin(pin: string, iterations = ITERATIONS): Promise<PinLock> {
	const salt = crypto.getRandomValues(new Uint8Array(16));
	return { algorithm: ALGORITHM, iterations, salt: toBase64(salt), hash: toBase64(await derive(pin, salt, iterations)) };
}

export async function pinOpens(pin: string, lock: PinLock): Promise<boolean> {
	// A lock made some other way (a future Sikho, a synced phone) cannot be opened by guessing how.
	// Nor one that would keep a cheap phone hashing for minutes (a lock from a sync peer is untrusted).
	if (lock.algorithm !== ALGORITHM || lock.iterations > 1_000_000) return false;
	const hash = await derive(pin, fromBase64(lock.salt), lock.iterations);
	const expected = fromBase64(lock.hash);
	// Compare every byte whatever the first difference, so timing says nothing about the hash.
	let difference = hash.length ^ expected.length;
	for (let i = 0; i < hash.length; i++) difference |= hash[i]! ^ (expected[i] ?? 0);
	return difference === 0;
}
