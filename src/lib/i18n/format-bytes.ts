/** "183 kB", "1.2 MB", "10.7 GB", in the learner's language and digits, from the browser's CLDR data. */
const STEPS = [
	{ size: 1e9, unit: 'gigabyte' },
	{ size: 1e6, unit: 'megabyte' },
	{ size: 1e3, unit: 'kilobyte' }
] as const;

export function formatBytes(bytes: number, locale: string): string {
	const step = STEPS.find((s) => bytes >= s.size) ?? STEPS[2];
	// Anything above zero shows as at least 1 kB: "0 kB" would read as "nothing to download".
	const value = step.unit === 'kilobyte' ? Math.max(bytes / step.size, bytes > 0 ? 1 : 0) : bytes / step.size;
	const digits = step.unit !== 'kilobyte' && value < 10 ? 1 : 0;
	return new Intl.NumberFormat(locale, { style: 'unit', unit: step.unit, unitDisplay: 'short', maximumFractionDigits: digits }).format(value);
}
