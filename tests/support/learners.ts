/** A learner making their profile, on the "New learner" screen (English), ending on My courses. */
import { expect, type Page } from '@playwright/test';

export async function fillNewLearner(page: Page, name: string, district: string): Promise<void> {
	await page.getByRole('textbox', { name: 'Your name' }).fill(name);
	await page.getByRole('textbox', { name: 'Organisation or district' }).fill(district);
	await page.getByRole('button', { name: 'Create profile' }).click();
	await expect(page.getByText(`Hello, ${name}`)).toBeVisible();
}
