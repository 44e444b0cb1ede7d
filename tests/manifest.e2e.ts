import { chromium } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from './support/chromium';
import { expect, test } from './support/fixtures';
import { SikhoApp } from './support/sikho-app';

interface ManifestIcon {
	src: string;
	sizes: string;
	type: string;
	purpose?: string;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): string {
	return `${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`;
}

test('the manifest is served as application/manifest+json and every icon it lists loads', async ({ request }) => {
	const response = await request.get('/manifest.webmanifest');
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toBe('application/manifest+json');

	const manifest = (await response.json()) as Record<string, unknown> & { icons: ManifestIcon[] };
	expect(manifest).toMatchObject({
		name: expect.any(String),
		short_name: 'Sikho',
		start_url: '/',
		scope: '/',
		display: 'standalone',
		lang: 'en',
		dir: 'ltr',
		theme_color: expect.stringMatching(/^#/),
		background_color: expect.stringMatching(/^#/)
	});
	const sizes = manifest.icons.map((icon) => `${icon.sizes} ${icon.purpose ?? 'any'}`);
	expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));

	for (const icon of manifest.icons) {
		const file = await request.get(icon.src);
		expect(file.status(), icon.src).toBe(200);
		expect(file.headers()['content-type'], icon.src).toContain(icon.type);
		if (icon.type === 'image/png') expect(pngSize(await file.body()), icon.src).toBe(icon.sizes);
	}
});

test('Chromium finds Sikho installable', async ({ baseURL }) => {
	// Chromium never offers to install from an incognito profile, which is what test contexts are.
	const profile = await mkdtemp(join(tmpdir(), 'sikho-profile-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: chromiumPath(),
		args: CHROMIUM_ARGS,
		baseURL,
		viewport: { width: 360, height: 740 }
	});
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		const sikho = new SikhoApp(page);
		await sikho.open('/');
		await sikho.waitUntilOfflineReady();
		const cdp = await context.newCDPSession(page);
		const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
		expect(installabilityErrors).toEqual([]);
	} finally {
		await context.close();
		await rm(profile, { recursive: true, force: true });
	}
});
