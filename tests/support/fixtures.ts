/**
 * Every e2e test gets a page that fails the test on any script error, console error or
 * Content-Security-Policy violation, so a strict CSP can never silently break a screen.
 */
import { test as base, expect } from '@playwright/test';
import { SikhoApp } from './sikho-app';

/** Chromium logs a failed load while the context is offline; that is the test's doing, not a bug. */
const EXPECTED_WHILE_OFFLINE = /net::ERR_INTERNET_DISCONNECTED/;

export const test = base.extend<{ problems: string[]; sikho: SikhoApp }>({
	problems: [
		async ({ page }, use) => {
			const problems: string[] = [];
			await page.addInitScript(() => {
				document.addEventListener('securitypolicyviolation', (event) => {
					console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
				});
			});
			page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
			page.on('console', (message) => {
				if (message.type() === 'error' && !EXPECTED_WHILE_OFFLINE.test(message.text())) {
					problems.push(`console error: ${message.text()}`);
				}
			});
			await use(problems);
			expect(problems, 'errors or CSP violations in the page').toEqual([]);
		},
		{ auto: true }
	],
	sikho: async ({ page }, use) => {
		await use(new SikhoApp(page));
	}
});

export { expect };
