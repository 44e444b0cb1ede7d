/** "183 kB", "1.2 MB", in the learner's language and digits, from the browser's CLDR data. */
export function formatBytes(bytes: number, locale: string): string {
	const [value, unit] = bytes >= 1_000_000 ? [bytes / 1_000_000, 'megabyte'] : [Math.max(bytes / 1000, bytes > 0 ? 1 : 0), 'kilobyte'];
	return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: value < 10 && unit === 'megabyte' ? 1 : 0 }).format(value);
}
