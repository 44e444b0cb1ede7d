/**
 * A language's name written in that language ("हिन्दी", "العربية"), so a learner who cannot read
 * the current UI language still finds their own. Comes from the browser's CLDR data, not from us.
 */
export function languageName(locale: string): string {
	try {
		const name = new Intl.DisplayNames([locale], { type: 'language' }).of(locale);
		if (name) return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
	} catch {
		// An engine without DisplayNames data for this locale: show the code rather than nothing.
	}
	return locale;
}

// Right-to-left scripts' languages, for engines without Intl.Locale text info.
const RIGHT_TO_LEFT = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'ha', 'he', 'khw', 'ks', 'ps', 'sd', 'ur', 'yi']);

/**
 * The writing direction of a language, for course text shown inside a UI in another language
 * (an English lesson in the Arabic app must still read left to right, punctuation included).
 */
export function textDirection(locale: string): 'ltr' | 'rtl' {
	try {
		const info = (new Intl.Locale(locale) as Intl.Locale & { getTextInfo?: () => { direction?: string } }).getTextInfo?.();
		if (info?.direction === 'rtl' || info?.direction === 'ltr') return info.direction;
	} catch {
		// Not a well-formed tag: fall through to the list.
	}
	return RIGHT_TO_LEFT.has(locale.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr';
}
