/**
 * What the service worker keeps so Sikho opens with no network. Pure, so it is unit-tested
 * rather than discovered broken in airplane mode.
 */
export interface PrecacheEntry {
	url: string;
	/** null: the URL already carries a content hash, so the URL itself is the version. */
	revision: string | null;
}

export interface BuildFiles {
	/** Files Vite emitted (kit's `$service-worker` `build`). */
	build: readonly string[];
	/** Files copied from `static/` (kit's `files`). */
	files: readonly string[];
	/** This deploy's version (kit's `version`). */
	version: string;
}

/** Paths the server answers itself: never replaced by the app shell when navigated to. */
export const SERVER_PATHS: RegExp[] = [/^\/api\//, /^\/sync\//, /^\/content\//, /^\/verify\//, /^\/healthz$/];

const HASHED = /\/_app\/immutable\//;
/**
 * Files no offline screen uses. The PNG icons are fetched once by the phone when Sikho is
 * installed to the home screen (the app itself shows the SVG), so precaching them would only
 * spend a learner's data twice.
 */
const NOT_FOR_OFFLINE = /\/(robots\.txt|\.DS_Store|icons\/[^/]+\.png)$/;

export function appShellEntries({ build, files, version }: BuildFiles): PrecacheEntry[] {
	const entries: PrecacheEntry[] = [{ url: '/index.html', revision: version }];
	for (const url of build) {
		entries.push({ url, revision: HASHED.test(url) ? null : version });
	}
	for (const url of files) {
		if (!NOT_FOR_OFFLINE.test(url)) entries.push({ url, revision: version });
	}
	return entries;
}
