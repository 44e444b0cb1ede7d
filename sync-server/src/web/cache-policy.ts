/**
 * How long a browser may keep each file of the app without asking again.
 * Hashed files never change under their name, so a year and `immutable`. Everything else —
 * the shell page, the manifest, the service worker — must be revalidated (a 304 costs a few
 * bytes) or a learner could be stuck on an old version.
 */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

export function cacheControlFor(pathInApp: string): string {
	const path = pathInApp.replaceAll('\\', '/').replace(/^\/+/, '');
	return path.startsWith('_app/immutable/') ? IMMUTABLE : REVALIDATE;
}
