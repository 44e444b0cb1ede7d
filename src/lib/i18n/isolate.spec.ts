import { describe, expect, it } from 'vitest';
import { isolate } from './isolate';

describe('isolate', () => {
	it('wraps the value in first-strong isolate and pop-directional-isolate marks', () => {
		expect(isolate('0.1.0-202611220300')).toBe('\u20680.1.0-202611220300\u2069');
	});
});
