import { describe, expect, it } from 'vitest';
import { Backoff, isRetryable, parseRetryAfter } from './backoff';

describe('backoff between failed syncs', () => {
	it('waits a random time under a ceiling that doubles from 2 s up to 5 minutes', () => {
		const highest = new Backoff({ random: () => 0.999_999 });
		const waits = Array.from({ length: 10 }, () => highest.next());
		expect(waits.map((ms) => Math.ceil(ms / 1000))).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
	});

	it('is full jitter: the wait is the random fraction of the ceiling, down to zero', () => {
		const values = [0.5, 0, 0.25];
		const backoff = new Backoff({ random: () => values.shift() ?? 0 });
		expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([1000, 0, 2000]);
	});

	it('starts again from the base after a success', () => {
		const backoff = new Backoff({ random: () => 0.5 });
		backoff.next();
		backoff.next();
		backoff.next();
		expect(backoff.failuresInARow).toBe(3);
		backoff.reset();
		expect(backoff.next()).toBe(1000);
	});

	it('never waits less than the server asked with Retry-After, and no more than an hour for it', () => {
		const backoff = new Backoff({ random: () => 0.5 });
		expect(backoff.next(30_000)).toBe(30_000);
		expect(backoff.next(10)).toBe(2000);
		expect(backoff.next(7 * 24 * 3600_000)).toBe(3600_000);
	});

	it('does not overflow after very many failures', () => {
		const backoff = new Backoff({ random: () => 0.999 });
		for (let i = 0; i < 2000; i++) backoff.next();
		expect(backoff.next()).toBe(Math.floor(0.999 * 300_000));
	});
});

describe('which failures are retried', () => {
	it('retries a dropped network, a server failure and a request to slow down', () => {
		expect(isRetryable({ kind: 'network' })).toBe(true);
		for (const status of [500, 502, 503, 504, 429, 408]) expect(isRetryable({ kind: 'http', status }), String(status)).toBe(true);
	});

	it('does not retry a refusal that would be refused again', () => {
		for (const status of [400, 401, 403, 404, 409, 413, 415]) expect(isRetryable({ kind: 'http', status }), String(status)).toBe(false);
	});

	it('reads Retry-After as seconds or as a date', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('120', now)).toBe(120_000);
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
		expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:30 GMT', now)).toBe(0);
		expect(parseRetryAfter(null, now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
	});
});
