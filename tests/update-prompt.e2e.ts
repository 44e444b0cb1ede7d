import type { Page } from '@playwright/test';
import { BUILD_DIR, makeNextDeploy } from './support/deploy';
import { expect, test } from './support/fixtures';
import type { SikhoApp } from './support/sikho-app';
import { freePort, ServerProcess } from './support/server-process';

/**
 * Opens Sikho from the current build until it works offline, then replaces the server with the
 * next deploy on the same origin, as an operator's release would. Returns the new server.
 */
async function releaseNextDeployUnder(sikho: SikhoApp): Promise<ServerProcess> {
	const port = await freePort();
	const nextDeploy = await makeNextDeploy('second deploy');
	const first = await ServerProcess.start({ port, appDir: BUILD_DIR });
	try {
		await sikho.open(`${first.url}/`);
		await sikho.waitUntilOfflineReady();
		await expect(sikho.page.getByText('A new version of Sikho is ready.')).toBeHidden();
	} finally {
		await first.stop();
	}
	return ServerProcess.start({ port, appDir: nextDeploy });
}

/** Asks the worker that controls the page which deploy it belongs to (only the next one answers). */
async function controllingDeploy(page: Page): Promise<string> {
	return page.evaluate(
		() =>
			new Promise<string>((resolve) => {
				const timer = setTimeout(() => resolve('first deploy'), 2_000);
				navigator.serviceWorker.addEventListener('message', (event) => {
					clearTimeout(timer);
					resolve(String(event.data));
				});
				navigator.serviceWorker.controller?.postMessage('which-deploy');
			})
	);
}

test('a new deploy offers "reload" and swaps nothing until the learner chooses', async ({ page, sikho }) => {
	const server = await releaseNextDeployUnder(sikho);
	try {
		// Opening the app makes the browser look for a new service worker.
		await page.goto(`${server.url}/settings`);
		const prompt = page.getByRole('status').filter({ hasText: 'A new version of Sikho is ready.' });
		await expect(prompt.getByRole('button', { name: 'Reload now' })).toBeVisible();

		// A cache left by an older cache format, as a past release would have left it.
		await page.evaluate(() => caches.open('sikho-runtime-v0').then((c) => c.put('/old', new Response('old'))));

		// Until the learner chooses, the old version keeps running this page.
		await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));
		expect(await controllingDeploy(page)).toBe('first deploy');

		await prompt.getByRole('button', { name: 'Reload now' }).click();
		await page.waitForFunction(() => !(window as unknown as { marker?: string }).marker);
		await sikho.expectScreen('Settings');
		await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
		expect(await controllingDeploy(page)).toBe('second deploy');
		await expect(page.getByText('A new version of Sikho is ready.')).toBeHidden();

		// Activating removed the other format's cache and kept the app shell.
		const cacheNames = await page.evaluate(() => caches.keys());
		expect(cacheNames).not.toContain('sikho-runtime-v0');
		// Workbox names its precache with its own version, then ours: sikho-precache-v2-v1.
		expect(cacheNames).toEqual([expect.stringMatching(/^sikho-precache-.*-v1$/)]);
	} finally {
		await server.stop();
	}
});

test('"Later" hides the prompt and keeps the learner where they are', async ({ page, sikho }) => {
	const server = await releaseNextDeployUnder(sikho);
	try {
		await page.goto(`${server.url}/`);
		await page.getByRole('button', { name: 'Later' }).click();
		await expect(page.getByText('A new version of Sikho is ready.')).toBeHidden();
		await sikho.expectScreen('My courses');
		expect(await controllingDeploy(page)).toBe('first deploy');
	} finally {
		await server.stop();
	}
});
