/**
 * Courses as files (docs/sideloading.md), in Chromium against the real server: the signed sample
 * bundle is added through the file chooser with the network off, and studied; the same file
 * again changes nothing; and a file shared to Sikho (the manifest's share_target) is taken by
 * the service worker and installed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SHIPPED_PUBLISHERS } from '../src/lib/course-format/shipped-publishers';
import { openBundle } from '../sync-server/src/course-cli/open-bundle';
import { expect, test } from './support/fixtures';
import { fillNewLearner } from './support/learners';
import { storedCourseIds } from './support/phone-storage';

const SAMPLE_BUNDLE = join(process.cwd(), 'courses', 'public-procurement-essentials.zip');
const COURSE = 'Public Procurement Essentials';


test('with the network off, a learner adds the sample course from a file, studies a lesson, shares the course on as a file, and the same file again changes nothing', async ({ page, context, sikho }) => {
	await page.goto('/');
	await sikho.waitUntilOfflineReady();
	await context.setOffline(true);

	await page.getByRole('link', { name: 'Create my profile' }).click();
	await fillNewLearner(page, 'Meena Kumari', 'Gaya');
	await page.getByRole('link', { name: 'Add a course from a file' }).click();
	await sikho.expectScreen('Add a course from a file');

	await page.getByLabel('Choose a course file').setInputFiles(SAMPLE_BUNDLE);
	const result = page.getByRole('region', { name: 'From this file' });
	await expect(result.getByRole('status')).toHaveText('Added to this phone.');
	await result.getByRole('link', { name: COURSE }).click();

	await sikho.expectScreen(COURSE);
	await page.getByRole('link', { name: /Why public procurement matters/ }).first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'Why public procurement matters' })).toBeVisible();
	await page.locator('.lesson-end').scrollIntoViewIfNeeded();
	await expect(page.getByText('✓ Done')).toBeVisible();

	// Passed on to the next phone: a file (a download where the browser cannot share files) that
	// verifies with the publisher's key and is the very course.
	await page.goto('/courses/public-procurement-essentials');
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Share this course' }).click()]);
	expect(download.suggestedFilename()).toBe('public-procurement-essentials-v1.zip');
	await expect(page.getByRole('status').filter({ hasText: 'Saved as public-procurement-essentials-v1.zip' })).toBeVisible();
	const shared = await openBundle(new Uint8Array(await readFile(await download.path())), SHIPPED_PUBLISHERS);
	const original = await openBundle(new Uint8Array(await readFile(SAMPLE_BUNDLE)), SHIPPED_PUBLISHERS);
	expect(new TextDecoder().decode(shared.manifestBytes)).toBe(new TextDecoder().decode(original.manifestBytes));
	expect(shared.languages).toEqual(['en', 'hi']);

	await page.goto('/import');
	await page.getByLabel('Choose a course file').setInputFiles(SAMPLE_BUNDLE);
	await expect(page.getByRole('region', { name: 'From this file' }).getByRole('status')).toHaveText('Already on this phone. Nothing changed.');
	expect(await storedCourseIds(page)).toEqual(['public-procurement-essentials']);
	await page.goto('/');
	// One lesson of sixteen: the imported course keeps the learner's progress like a downloaded one.
	await expect(page.getByRole('link', { name: new RegExp(`${COURSE}.*6% done`) })).toBeVisible();
});

test('a file shared to Sikho is taken by the service worker and installed', async ({ page, sikho }) => {
	await page.goto('/');
	await sikho.waitUntilOfflineReady();
	// What the phone's share sheet does: a multipart POST navigation to the manifest's share_target.
	const bytes = await readFile(SAMPLE_BUNDLE);
	await page.evaluate(
		async ({ base64 }) => {
			const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
			const form = document.createElement('form');
			form.method = 'POST';
			form.action = '/share-target';
			form.enctype = 'multipart/form-data';
			const input = document.createElement('input');
			input.type = 'file';
			input.name = 'bundle';
			const transfer = new DataTransfer();
			transfer.items.add(new File([bytes], 'public-procurement-essentials.zip', { type: 'application/zip' }));
			input.files = transfer.files;
			form.append(input);
			document.body.append(form);
			form.submit();
		},
		{ base64: bytes.toString('base64') }
	);
	await page.waitForURL(/\/import\?shared=/);
	await expect(page.getByRole('region', { name: 'From this file' }).getByRole('status')).toHaveText('Added to this phone.');
	expect(await storedCourseIds(page)).toEqual(['public-procurement-essentials']);
	// The worker's copy of the file is freed once it is installed.
	expect(await page.evaluate(async () => (await (await caches.open('sikho-shared-v1')).keys()).length)).toBe(0);
});
