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
