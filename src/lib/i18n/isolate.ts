/**
 * Wraps a value set inside a translated sentence (a version, a name, a number) in Unicode
 * first-strong isolates, so "0.1.0-2026…" stays in order inside Arabic text instead of being
 * reordered by the bidi algorithm.
 */
export function isolate(value: string): string {
	return `\u2068${value}\u2069`;
}
