/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Sikho's service worker (Workbox). It keeps the app shell on the phone so Sikho opens in airplane
 * mode, and it never replaces itself under a learner: a new version waits until the app asks.
 */
import { build, files, version } from '$service-worker';
import { clientsClaim, setCacheNameDetails } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { isSkipWaiting } from '$lib/app-update/worker-messages';
import { appShellEntries, SERVER_PATHS } from '$lib/app-update/app-shell';
import { FILE_NAME_HEADER, SHARE_FIELD, SHARE_TARGET_PATH, SHARED_CACHE, sharedFileUrl } from '$lib/content/shared-file';

declare const self: ServiceWorkerGlobalScope;

/**
 * Bump when the layout of Sikho's caches changes (names, what goes where). Caches of another
 * format are deleted on activate; the precache itself is versioned per file by Workbox, so a
 * deploy downloads only the files that changed — learners pay for every kilobyte.
 */
const CACHE_FORMAT = 'v1';
setCacheNameDetails({ prefix: 'sikho', suffix: CACHE_FORMAT });

precacheAndRoute(appShellEntries({ build, files, version }));
cleanupOutdatedCaches();

// Any address the app owns opens the shell; the router in the page draws the screen.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: SERVER_PATHS }));
// No other route: API answers and course files (GET /content/<sha256>, POST /content/pack) go to
// the network untouched — the app stores course files itself, and Workbox routes match GET only.

// "Share to Sikho" (the manifest's share_target): the file is kept in Cache Storage — on disk, not
// in memory — and the import screen is opened with its id; the screen frees it when it is done.
registerRoute(
	({ url }) => url.pathname === SHARE_TARGET_PATH,
	async ({ request }) => {
		const file = (await request.formData()).get(SHARE_FIELD);
		if (!(file instanceof File)) return Response.redirect('/import?shared=missing', 303);
		const id = crypto.randomUUID();
		const headers = { 'content-type': file.type || 'application/zip', [FILE_NAME_HEADER]: encodeURIComponent(file.name) };
		await (await caches.open(SHARED_CACHE)).put(sharedFileUrl(id), new Response(file, { headers }));
		return Response.redirect(`/import?shared=${id}`, 303);
	},
	'POST'
);

self.addEventListener('message', (event) => {
	if (isSkipWaiting(event.data)) void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
	event.waitUntil(deleteCachesOfOtherFormats());
});

// The first install controls the open page at once, so it works offline without a reload.
clientsClaim();

async function deleteCachesOfOtherFormats(): Promise<void> {
	const names = await caches.keys();
	await Promise.all(
		names
			.filter((name) => name.startsWith('sikho-') && !name.endsWith(`-${CACHE_FORMAT}`))
			.map((name) => caches.delete(name))
	);
}
