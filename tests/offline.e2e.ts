import { expect, test } from './support/fixtures';

test('the service worker activates and controls the page on the first visit', async ({ page, sikho }) => {
	await sikho.open('/');
	await sikho.waitUntilOfflineReady();
	const controller = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
	expect(controller).toMatch(/\/service-worker\.js$/);

	await sikho.navLink('Settings').click();
	await expect(page.getByText('Ready: Sikho opens even without internet.')).toBeVisible();
});

test('with the network off, a reload and every screen still render', async ({ page, context, sikho }) => {
	await sikho.open('/');
	await sikho.waitUntilOfflineReady();

	await context.setOffline(true);
	await page.reload();
	await sikho.expectScreen('My courses');
	await expect(sikho.connectionStatus()).toContainText('Offline');
	await expect(page.getByText('You can keep learning without internet.')).toBeVisible();

	await sikho.navLink('Settings').click();
	await sikho.expectScreen('Settings');
	await expect(sikho.navLink('Settings')).toHaveAttribute('aria-current', 'page');

	// Opening a screen by its address (a home-screen shortcut, a bookmark) works offline too.
	await page.goto('/settings');
	await sikho.expectScreen('Settings');
	await page.goto('/no/such/screen');
	await sikho.expectScreen('Page not found');
	await page.getByRole('link', { name: 'Go to My courses' }).click();
	await sikho.expectScreen('My courses');

	await context.setOffline(false);
	await expect(sikho.connectionStatus()).toContainText('Online');
});

test('the first screen says what to do when no course is on the phone', async ({ page, sikho }) => {
	await sikho.open('/');
	await sikho.expectScreen('My courses');
	await expect(page.getByRole('heading', { name: 'No courses on this phone yet' })).toBeVisible();
	await expect(page.getByText(/district coordinator can give you a course as a file/)).toBeVisible();
});

test('the skip link and navigation are reachable by keyboard', async ({ page, sikho }) => {
	await sikho.open('/');
	await sikho.expectScreen('My courses');
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.locator('main')).toBeFocused();

	const settings = sikho.navLink('Settings');
	for (let i = 0; i < 10 && !(await settings.evaluate((el) => el === document.activeElement)); i++) {
		await page.keyboard.press('Tab');
	}
	await expect(settings).toBeFocused();
	await page.keyboard.press('Enter');
	await sikho.expectScreen('Settings');
});
