/**
 * Time-sortable unique ids (ULID: https://github.com/ulid/spec). 48 bits of milliseconds then 80
 * random bits, in Crockford base32: 26 characters that sort as text in time order, so a course's
 * events read back from `_all_docs` in (roughly) the order they happened, and two phones can
 * write ids offline without ever agreeing on anything. Isomorphic: the clock and the randomness
 * are passed in, nothing here reads `Date.now()`.
 */

/** `length` random bytes. Tests pass a seeded one; the app uses WebCrypto. */
export type RandomBytes = (length: number) => Uint8Array;

/** WebCrypto's generator, present in every browser Sikho runs in and in Node ≥ 19. */
export const cryptoRandom: RandomBytes = (length) => crypto.getRandomValues(new Uint8Array(length));

// Crockford's alphabet: no I, L, O, U. Digits sort before letters in ASCII, so text order is number order.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RANDOM_BYTES = 10; // 80 bits = 16 characters
const MAX_TIME = 2 ** 48 - 1;

/** A ULID: the first character is at most 7, since 10 characters hold 50 bits and time uses 48. */
export const ULID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

function encodeTime(timeMs: number): string {
	if (!Number.isInteger(timeMs) || timeMs < 0 || timeMs > MAX_TIME) {
		throw new RangeError(`a ULID's time is whole milliseconds from 0 to 2^48 - 1, not ${timeMs}`);
	}
	let out = '';
	for (let i = 0, rest = timeMs; i < TIME_CHARS; i++, rest = Math.floor(rest / 32)) out = ALPHABET.charAt(rest % 32) + out;
	return out;
}

function encodeRandom(bytes: Uint8Array): string {
	let out = '';
	let buffer = 0;
	let bits = 0;
	for (const byte of bytes) {
		buffer = (buffer << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out += ALPHABET.charAt((buffer >> bits) & 31);
		}
		buffer &= (1 << bits) - 1;
	}
	return out;
}

function randomPart(random: RandomBytes): Uint8Array {
	const bytes = random(RANDOM_BYTES);
	if (bytes.length !== RANDOM_BYTES) throw new RangeError(`the random source gave ${bytes.length} bytes, not ${RANDOM_BYTES}`);
	return bytes;
}

/** One ULID for a moment. Two ids made in the same millisecond are in random order. */
export function ulid(timeMs: number, random: RandomBytes = cryptoRandom): string {
	return encodeTime(timeMs) + encodeRandom(randomPart(random));
}

/**
 * A generator whose ids always increase, as the ULID spec's monotonic mode: within one
 * millisecond, or when the phone's clock steps back, the next id is the last one plus one (and
 * keeps the last time). One writer's events then keep the order they were written in, even
 * several per millisecond. The state lives in the generator, one per writer, never in the module.
 */
export function monotonicUlid(random: RandomBytes = cryptoRandom): (timeMs: number) => string {
	let lastTime = -1;
	let last = new Uint8Array(RANDOM_BYTES);
	return (timeMs) => {
		if (timeMs > lastTime) {
			const id = encodeTime(timeMs);
			lastTime = timeMs;
			last = Uint8Array.from(randomPart(random));
			return id + encodeRandom(last);
		}
		encodeTime(timeMs); // still refuse a time that is not one
		let i = RANDOM_BYTES - 1;
		for (; i >= 0 && last[i] === 0xff; i--) last[i] = 0;
		// 2^80 ids in one millisecond cannot happen; if it somehow did, wrapping would break order.
		if (i < 0) throw new RangeError('ULID random part overflowed within one millisecond');
		last[i] = last[i]! + 1;
		return encodeTime(lastTime) + encodeRandom(last);
	};
}

/** The time a ULID was made, in milliseconds. */
export function ulidTime(id: string): number {
	let time = 0;
	for (let i = 0; i < TIME_CHARS; i++) time = time * 32 + ALPHABET.indexOf(id.charAt(i));
	return time;
}
