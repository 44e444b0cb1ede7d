import { expect, test } from './support/fixtures';

test('switching to Hindi changes the UI and <html lang>, and persists across an offline reload', async ({ page, context, sikho }) => {
	await sikho.open('/settings');
	await sikho.waitUntilOfflineReady();

	await page.getByRole('radio', { name: 'हिन्दी' }).check();
	await sikho.expectScreen('सेटिंग्स');
	await expect(sikho.navLink('मेरे कोर्स')).toBeVisible();
	expect(await sikho.htmlLangAndDir()).toEqual({ lang: 'hi', dir: 'ltr' });
	await expect(page).toHaveTitle('सेटिंग्स · सीखो');

	await context.setOffline(true);
	await page.reload();
	await sikho.expectScreen('सेटिंग्स');
	await expect(page.getByRole('radio', { name: 'हिन्दी' })).toBeChecked();
	expect(await sikho.htmlLangAndDir()).toEqual({ lang: 'hi', dir: 'ltr' });

	await sikho.navLink('मेरे कोर्स').click();
	await sikho.expectScreen('मेरे कोर्स');
	await expect(sikho.connectionStatus()).toContainText('ऑफ़लाइन');
});

test('Arabic turns the layout right to left, and English turns it back', async ({ page, sikho }) => {
	await sikho.open('/settings');
	await page.getByRole('radio', { name: 'العربية' }).check();
	await sikho.expectScreen('الإعدادات');
	expect(await sikho.htmlLangAndDir()).toEqual({ lang: 'ar', dir: 'rtl' });

	await page.getByRole('radio', { name: 'English' }).check();
	await sikho.expectScreen('Settings');
	expect(await sikho.htmlLangAndDir()).toEqual({ lang: 'en', dir: 'ltr' });
});

test('a phone set to Hindi opens Sikho in Hindi the first time', async ({ browser }) => {
	const context = await browser.newContext({ locale: 'hi-IN' });
	const page = await context.newPage();
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1, name: 'मेरे कोर्स' })).toBeVisible();
	await context.close();
});
