import { expect, test } from './support/fixtures';
import { fillNewLearner } from './support/learners';

test('offline, a learner changes their profile, locks it with a PIN, and removes it from the phone', async ({ page, context, sikho }) => {
	await sikho.open('/');
	await sikho.waitUntilOfflineReady();
	await context.setOffline(true);

	await page.getByRole('link', { name: 'Create my profile' }).click();
	await fillNewLearner(page, 'Asha', 'Sitapur');

	await page.getByRole('link', { name: 'Your profile' }).click();
	await sikho.expectScreen('Your profile');
	await page.getByRole('textbox', { name: 'Your name' }).fill('Asha Devi');
	await page.getByLabel('PIN (optional, 4 digits)').fill('12');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByText('A PIN is exactly 4 digits, or leave it empty.')).toBeVisible();
	await page.getByLabel('PIN (optional, 4 digits)').fill('2580');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Saved on this phone.' })).toBeVisible();

	// Someone else takes the phone: Asha's profile now needs her PIN, even after a reload.
	await page.goto('/learners');
	await page.getByRole('button', { name: 'Hand the phone to someone else' }).click();
	await page.reload();
	await page.getByRole('button', { name: 'Continue as Asha Devi' }).click();
	await page.getByLabel('PIN for Asha Devi').fill('1111');
	await page.getByRole('button', { name: 'Open' }).click();
	await expect(page.getByRole('alert')).toHaveText('That PIN is not right. Try again.');
	await page.getByLabel('PIN for Asha Devi').fill('2580');
	await page.getByRole('button', { name: 'Open' }).click();
	await expect(page.getByText('Hello, Asha Devi')).toBeVisible();

	// Changing or removing a PIN-locked profile needs the PIN first.
	await page.getByRole('link', { name: 'Your profile' }).click();
	await expect(page.getByRole('button', { name: 'Remove Asha Devi from this phone' })).toHaveCount(0);
	await page.getByLabel('PIN for Asha Devi').fill('0000');
	await page.getByRole('button', { name: 'Open' }).click();
	await expect(page.getByRole('alert')).toHaveText('That PIN is not right. Try again.');
	await page.getByLabel('PIN for Asha Devi').fill('2580');
	await page.getByRole('button', { name: 'Open' }).click();
	await page.getByRole('button', { name: 'Remove Asha Devi from this phone' }).click();
	await expect(page.getByRole('alert')).toContainText('Progress not yet sent to the server is lost');
	await page.getByRole('button', { name: 'Yes, remove' }).click();
	await sikho.expectScreen('Who is learning?');
	await expect(page.getByRole('button', { name: /Continue as/ })).toHaveCount(0);
	expect(await page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name))).not.toContain(expect.stringMatching(/^sikho-learner-/));
});
