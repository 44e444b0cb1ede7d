import { describe, expect, it } from 'vitest';
import { errorBody, errorName } from './errors.js';

describe('errorName', () => {
	it('uses CouchDB names for the statuses replication clients know', () => {
		expect(errorName(401)).toBe('unauthorized');
		expect(errorName(403)).toBe('forbidden');
		expect(errorName(413)).toBe('too_large');
	});

	it('falls back by class for statuses without a name', () => {
		expect(errorName(418)).toBe('bad_request');
		expect(errorName(502)).toBe('unknown_error');
	});

	it('builds the body callers match on', () => {
		expect(errorBody(404, 'missing')).toEqual({ error: 'not_found', reason: 'missing' });
	});
});
