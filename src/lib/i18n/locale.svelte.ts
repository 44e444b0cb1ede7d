/**
 * The learner's language. Paraglide resolves the first choice (saved choice, then the phone's
 * language, then English); from then on the choice lives in a rune so that every `m.*()` call in a
 * template re-renders when it changes, with no page reload (a reload could drop a half-typed answer).
 */
import {
	getLocale,
	getTextDirection,
	locales,
	overwriteGetLocale,
	setLocale,
	type Locale
} from '$lib/paraglide/runtime';

let current = $state<Locale>(getLocale());
overwriteGetLocale(() => current);

export const availableLocales: readonly Locale[] = locales;

export function currentLocale(): Locale {
	return current;
}

/** Switches the UI language now and remembers it on this device (localStorage, works offline). */
export function chooseLocale(next: Locale, root: HTMLElement = document.documentElement): void {
	// Paraglide persists through its localStorage strategy; reload:false keeps the learner's screen.
	setLocale(next, { reload: false });
	current = next;
	applyToDocument(next, root);
}

/** `<html lang dir>` follow the language so screen readers and right-to-left layout are right. */
export function applyToDocument(locale: Locale = current, root: HTMLElement = document.documentElement): void {
	root.lang = locale;
	root.dir = getTextDirection(locale);
}
