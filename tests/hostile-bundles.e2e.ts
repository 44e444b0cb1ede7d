/**
 * The hostile corpus (tests/support/hostile-bundles.ts) through the import screen in Chromium:
 * every file refused with its own explanation and nothing stored; then a signed course whose
 * lesson and SVG image carry script installs sanitised, and opening it runs none: no dialog, no
 * console error, no CSP violation report (the fixtures fail the test on either of the last two).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePublisherKeys } from '../src/lib/course-format/signature';
import { expect, test } from './support/fixtures';
import { hostileBundles, hostileContentBundle } from './support/hostile-bundles';
import { storedCounts, storedSvgDisplays } from './support/phone-storage';

/** What the import screen says for each refusal (messages/en.json). */
const EXPLANATION: Record<string, RegExp> = {
	not_zip: /not a Sikho course file/,
	damaged_zip: /damaged or was not copied completely/,
	zip_bomb: /unpack to far more than a course/,
	too_many_files: /far more parts than a course/,
	unsafe_path: /outside its own folder/,
	duplicate_entry: /two different versions of the same part/,
	missing_manifest: /course description is missing/,
	unsigned: /not signed by its publisher/,
	not_json: /cannot be read/,
	invalid_manifest: /is not valid/,
	unknown_format: /newer version of Sikho/,
	unknown_publisher: /publisher this phone does not trust/,
	bad_signature: /signature does not match/,
	missing_file: /Part of the course is missing/,
	unexpected_file: /something the publisher did not sign/,
	hash_mismatch: /changed after the publisher signed it/
};



test('every hostile bundle is refused with its reason and nothing stored; hostile lesson text installs sanitised and runs no script', async ({ page, sikho, problems }) => {
	test.setTimeout(120_000);
	const dialogs: string[] = [];
	page.on('dialog', (dialog) => {
		dialogs.push(dialog.message());
		void dialog.dismiss();
	});
	const keys = await generatePublisherKeys();
	const corpus = await hostileBundles(keys, await generatePublisherKeys());
	const dir = await mkdtemp(join(tmpdir(), 'sikho-hostile-'));
	for (const hostile of corpus) await writeFile(join(dir, hostile.name), hostile.bytes);
	await writeFile(join(dir, 'hostile-content.zip'), await hostileContentBundle(keys));

	// A coordinator adds the test publisher's key by pasting it.
	await page.goto('/settings/publishers');
	await sikho.waitUntilOfflineReady();
	await page.getByLabel(/Publisher key/).fill(`sikho-key:test-publisher:${keys.publicKey}`);
	await page.getByRole('button', { name: 'Add key' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Key of test-publisher added' })).toBeVisible();
	const added = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2, name: 'test-publisher' }) });
	await expect(added).toContainText('Added by a coordinator');
	// Another coordinator's phone can scan it from this one.
	await added.getByRole('button', { name: 'Show QR code' }).click();
	await expect(added.getByRole('img', { name: 'QR code of the key of test-publisher, to scan with another phone' })).toBeVisible();

	await page.goto('/import');
	const before = await storedCounts(page);
	for (const hostile of corpus) {
		await page.getByLabel('Choose a course file').setInputFiles(join(dir, hostile.name));
		const alert = page.getByRole('alert');
		await expect(alert, hostile.name).toContainText('This file was not added.');
		await expect(alert, hostile.name).toContainText(EXPLANATION[hostile.refusal]!);
		expect(await storedCounts(page), hostile.name).toEqual(before);
	}

	// Dropped rather than chosen: the same checks.
	await page.reload();
	const dropped = await page.evaluateHandle(() => {
		const transfer = new DataTransfer();
		transfer.items.add(new File(['not a course'], 'dropped.zip', { type: 'application/zip' }));
		return transfer;
	});
	await page.getByRole('group').dispatchEvent('drop', { dataTransfer: dropped });
	await expect(page.getByRole('alert')).toContainText(EXPLANATION.not_zip!);
	expect(await storedCounts(page)).toEqual(before);

	expect(problems).toEqual([]);
	await page.getByLabel('Choose a course file').setInputFiles(join(dir, 'hostile-content.zip'));
	await expect(page.getByRole('region', { name: 'From this file' }).getByRole('status')).toHaveText('Added to this phone.');
	// Sanitising parses the hostile markup in an inert document (DOMPurify); Chromium reports each
	// inline handler it meets there as blocked by the page's CSP even though none could run. Those
	// reports, and only those, are expected while the course is being added.
	const whileSanitising = problems.splice(0);
	expect(whileSanitising.length).toBeGreaterThan(0);
	for (const problem of whileSanitising) expect(problem).toMatch(/Executing inline event handler violates|CSP violation: script-src-attr blocked inline/);
	const svgs = await storedSvgDisplays(page);
	expect(svgs).toHaveLength(1);
	expect(svgs[0]).toContain('<circle');
	expect(svgs[0]).not.toMatch(/<script|onload|javascript:/i);

	// From here on, not one report: opening the lesson runs and attempts nothing.
	await page.goto('/courses/hostile-content/lessons/intro');
	const text = page.locator('.lesson-text');
	await expect(text.getByText('The end of the lesson.')).toBeVisible();
	await expect(text.getByRole('img', { name: 'Stages' })).toBeVisible();
	const dangerous = await text.evaluate((root) => ({
		scripts: root.querySelectorAll('script, iframe, object, embed, foreignObject').length,
		handlers: [...root.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
		javascriptLinks: [...root.querySelectorAll('[href], [src]')].filter((el) => /^\s*javascript:/i.test(el.getAttribute('href') ?? el.getAttribute('src') ?? '')).length
	}));
	expect(dangerous).toEqual({ scripts: 0, handlers: [], javascriptLinks: 0 });
	expect(dialogs).toEqual([]);
});
