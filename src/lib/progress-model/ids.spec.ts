import { describe, expect, it } from 'vitest';
import { monotonicUlid, ulid, ULID_PATTERN, ulidTime } from './ids';

const zeros = (length: number) => new Uint8Array(length);
const ones = (length: number) => new Uint8Array(length).fill(0xff);

describe('ulid', () => {
	it('encodes time then randomness in Crockford base32, as the spec example', () => {
		expect(ulid(1469918176385, zeros).slice(0, 10)).toBe('01ARYZ6S41');
		expect(ulid(0, zeros)).toBe('0'.repeat(26));
		expect(ulid(2 ** 48 - 1, ones)).toBe(`7${'Z'.repeat(25)}`);
		expect(ulidTime(ulid(1469918176385))).toBe(1469918176385);
	});

	it('sorts as text in time order', () => {
		const times = [0, 1, 31, 32, 1023, 1024, 1_700_000_000_000, 1_700_000_000_001, 2 ** 48 - 1];
		const ids = times.map((t) => ulid(t, ones));
		expect([...ids].sort()).toEqual(ids);
		expect(new Set(ids).size).toBe(times.length);
	});

	it('is random by default and matches the pattern', () => {
		const a = ulid(1_700_000_000_000);
		const b = ulid(1_700_000_000_000);
		expect(a).toMatch(ULID_PATTERN);
		expect(a).not.toBe(b);
	});

	it('refuses times it cannot encode', () => {
		for (const time of [-1, 1.5, Number.NaN, 2 ** 48]) expect(() => ulid(time, zeros), String(time)).toThrow(RangeError);
	});

	it('monotonic: same millisecond and a clock stepping back still give increasing ids', () => {
		const next = monotonicUlid(zeros);
		const ids = [next(5000), next(5000), next(5000), next(4000), next(6000)];
		expect(ids.slice(0, 4).map((id) => id.slice(10))).toEqual(['0'.repeat(16), `${'0'.repeat(15)}1`, `${'0'.repeat(15)}2`, `${'0'.repeat(15)}3`]);
		expect(ulidTime(ids[3]!)).toBe(5000); // keeps the later time it already used
		expect(ids[4]!.slice(10)).toBe('0'.repeat(16)); // a new millisecond starts from fresh randomness
		expect([...ids].sort()).toEqual(ids);
	});

	it('monotonic: carries across bytes', () => {
		const next = monotonicUlid(() => Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff]));
		const first = next(1);
		const second = next(1);
		expect(first.slice(10)).toBe(`${'0'.repeat(14)}7Z`); // 255 = 7 × 32 + 31
		expect(second.slice(10)).toBe(`${'0'.repeat(14)}80`); // 256 = 8 × 32
		expect(second > first).toBe(true);
	});
});
