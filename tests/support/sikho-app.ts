/** A page model of Sikho: what a learner sees and does, by role and accessible name. */
import { expect, type Locator, type Page } from '@playwright/test';

export class SikhoApp {
	constructor(readonly page: Page) {}

	async open(path = '/'): Promise<void> {
		await this.page.goto(path);
	}

	heading(name: string | RegExp): Locator {
		return this.page.getByRole('heading', { level: 1, name });
	}

	navLink(name: string | RegExp): Locator {
		return this.page.getByRole('navigation').getByRole('link', { name });
	}

	connectionStatus(): Locator {
		return this.page.locator('header').getByRole('status');
	}

	/** Waits until the service worker has cached the shell, is activated and controls this page. */
	async waitUntilOfflineReady(): Promise<void> {
		await this.page.evaluate(async () => {
			const registration = await navigator.serviceWorker.ready;
			const worker = registration.active;
			if (!worker) throw new Error('no active service worker');
			if (worker.state !== 'activated') {
				await new Promise<void>((resolve) => {
					worker.addEventListener('statechange', () => worker.state === 'activated' && resolve());
				});
			}
		});
		await this.page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
	}

	async htmlLangAndDir(): Promise<{ lang: string; dir: string }> {
		return this.page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
	}

	async expectScreen(name: string | RegExp): Promise<void> {
		await expect(this.heading(name)).toBeVisible();
	}
}
