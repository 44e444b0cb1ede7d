import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes';

describe('formatBytes', () => {
	it('shows kilobytes and megabytes, rounded for reading', () => {
		expect(formatBytes(186_933, 'en')).toBe('187 kB');
		expect(formatBytes(1_234_567, 'en')).toBe('1.2 MB');
		expect(formatBytes(12, 'en')).toBe('1 kB');
		expect(formatBytes(0, 'en')).toBe('0 kB');
		expect(formatBytes(10_737_418_240, 'en')).toBe('11 GB');
		expect(formatBytes(2_500_000_000, 'en')).toBe('2.5 GB');
	});

	it('uses the learner’s language', () => {
		expect(formatBytes(186_933, 'ar')).toContain('كيلوبايت');
	});
});
