/**
 * What the app costs a learner in bytes: the JS, CSS and HTML the first screen loads, and the
 * whole precache the service worker downloads once. Measured by loading the built app from the
 * real sync-server in Chromium and recording what was fetched; sizes are each file gzipped at
 * level 9 (the unit), with brotli (what the server actually sends) alongside.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/support/chromium';
import { BUILD_DIR } from '../tests/support/deploy';
import { freePort, ServerProcess } from '../tests/support/server-process';
import { kb, type BenchRow } from './table';

const FIRST_ROUTE_BUDGET_BYTES = 60 * 1024;

interface Sizes {
	files: number;
	gzip: number;
	brotli: number;
}

async function sizesOf(paths: Iterable<string>): Promise<Sizes> {
	const sizes: Sizes = { files: 0, gzip: 0, brotli: 0 };
	for (const path of new Set(paths)) {
		const body = await readFile(join(BUILD_DIR, path === '/' ? 'index.html' : path));
		sizes.files += 1;
		sizes.gzip += gzipSync(body, { level: 9 }).length;
		sizes.brotli += brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
	}
	return sizes;
}

interface ViteChunk {
	file: string;
	imports?: string[];
	css?: string[];
}

/**
 * Of what the first route fetched, what its first screen needs to draw: the static-import closure
 * of the entry and route files (from Vite's build manifest). The rest came by dynamic import,
 * fetched after the screen is drawn (the course list's database code).
 */
export async function neededToDraw(fetched: readonly string[]): Promise<string[]> {
	const manifest = JSON.parse(await readFile('.svelte-kit/output/client/.vite/manifest.json', 'utf8')) as Record<string, ViteChunk>;
	const byFile = new Map(Object.values(manifest).map((chunk) => [`/${chunk.file}`, chunk]));
	const needed = new Set<string>();
	const stack = fetched.filter((path) => /\/_app\/immutable\/(entry|nodes)\//.test(path));
	for (let path = stack.pop(); path; path = stack.pop()) {
		if (needed.has(path)) continue;
		needed.add(path);
		const chunk = byFile.get(path);
		for (const css of chunk?.css ?? []) needed.add(`/${css}`);
		for (const key of chunk?.imports ?? []) if (manifest[key]) stack.push(`/${manifest[key].file}`);
	}
	return fetched.filter((path) => !path.startsWith('/_app/immutable/') || needed.has(path));
}

export async function appSize(): Promise<BenchRow[]> {
	const server = await ServerProcess.start({ port: await freePort(), appDir: BUILD_DIR });
	const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
	try {
		const page = await browser.newPage();
		const firstRoute: string[] = [];
		page.on('response', (response) => {
			const type = response.request().resourceType();
			if (type === 'document' || type === 'script' || type === 'stylesheet') {
				firstRoute.push(new URL(response.url()).pathname);
			}
		});
		await page.goto(`${server.url}/`, { waitUntil: 'networkidle' });
		const beforeFirstDraw = await neededToDraw(firstRoute);

		const precached = await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
			const urls: string[] = [];
			for (const name of await caches.keys()) {
				for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
			}
			return urls;
		});

		const drawn = await sizesOf(beforeFirstDraw);
		const first = await sizesOf(firstRoute);
		const all = await sizesOf(precached);
		return [
			{
				benchmark: 'First route to first draw: JS + CSS + HTML, gzip',
				measured: `${kb(drawn.gzip)} (${drawn.files} files)`,
				budget: `≤ ${kb(FIRST_ROUTE_BUDGET_BYTES)}`,
				verdict: drawn.gzip <= FIRST_ROUTE_BUDGET_BYTES ? 'met' : 'over',
				notes: `brotli as served: ${kb(drawn.brotli)}`
			},
			{
				benchmark: 'First route with the course list loaded after drawing, gzip',
				measured: `${kb(first.gzip)} (${first.files} files)`,
				budget: `≤ ${kb(FIRST_ROUTE_BUDGET_BYTES)}`,
				verdict: first.gzip <= FIRST_ROUTE_BUDGET_BYTES ? 'met' : 'over',
				notes: `brotli as served: ${kb(first.brotli)}; the course list needs the database code (Dexie)`
			},
			{
				benchmark: 'Whole precache (app shell for offline), gzip',
				measured: `${kb(all.gzip)} (${all.files} files)`,
				budget: '—',
				verdict: 'info',
				notes: `brotli: ${kb(all.brotli)}; home-screen PNG icons are fetched once at install, not precached`
			}
		];
	} finally {
		await browser.close();
		await server.stop();
	}
}
