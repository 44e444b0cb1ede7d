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
