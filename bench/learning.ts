/**
 * Recording progress as a learner meets it, in the real app in Chromium: from a tap on an answer to
 * the write on disk. The app marks each write with a User Timing measure (`sikho:record-event`);
 * this drives a learner through a quiz and reads them. Also: that the first screen draws without
 * PouchDB's code. The write alone is measured in record-event.ts.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/support/chromium';
import { BUILD_DIR } from '../tests/support/deploy';
import { fillNewLearner } from '../tests/support/learners';
import { startCourseServer } from '../tests/support/sample-course';
import { neededToDraw } from './app-size';
import { kb, median, percentile, type BenchRow } from './table';


/** The built chunk holding PouchDB (found by a string of its replication protocol). */
async function pouchChunk(): Promise<{ path: string; gzip: number } | undefined> {
	const dir = join(BUILD_DIR, '_app', 'immutable', 'chunks');
	for (const name of await readdir(dir)) {
		if (!name.endsWith('.js')) continue;
		const body = await readFile(join(dir, name));
		if (body.includes('_revs_diff')) return { path: `/_app/immutable/chunks/${name}`, gzip: gzipSync(body, { level: 9 }).length };
	}
	return undefined;
}

export async function learning(): Promise<BenchRow[]> {
	const courses = await startCourseServer();
	const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
	try {
		const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
		const page = await context.newPage();
		const url = courses.server.url;
		await page.goto(`${url}/catalog`);
		const card = page.getByRole('region', { name: /Public Procurement/ });
		await card.getByRole('button', { name: /^Download/ }).click();
		await card.getByText('On this phone: works without internet.').waitFor();
		await page.goto(`${url}/learners/new`);
		await fillNewLearner(page, 'Bench Learner', 'Bench district');

		// With a learner on the phone, what does the first screen fetch before it draws?
		const pouch = await pouchChunk();
		const fetched: string[] = [];
		page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
		await page.goto(`${url}/`);
		await page.getByText('Hello, Bench Learner').waitFor();
		// What the screen statically needs to draw, of all it fetched (the rest came by dynamic import, after).
		const beforeDraw = await neededToDraw(fetched);

		await page.goto(`${url}/courses/public-procurement-essentials/lessons/principles-quiz`);
		await page.getByRole('button', { name: 'Start the quiz' }).click();
		const first = page.locator('section.question').first();
		const radios = first.getByRole('radio');
		await page.evaluate(() => performance.clearMeasures('sikho:record-event'));
		const taps = 41;
		for (let i = 0; i < taps; i++) {
			await radios.nth(i % 2).check();
			await page.waitForFunction((n) => performance.getEntriesByName('sikho:record-event').length >= n, i + 1);
		}
		const times = await page.evaluate(() => performance.getEntriesByName('sikho:record-event').map((e) => e.duration));
		const recordMs = median(times);
		const pouchBeforeDraw = pouch !== undefined && beforeDraw.includes(pouch.path);
		return [
			{
				benchmark: 'Same, as a learner meets it: tap an answer in the quiz screen → saved on disk',
				measured: `${recordMs.toFixed(1)} ms median (${times.length} taps)`,
				budget: '—',
				verdict: 'info',
				notes: `p90 ${percentile(times, 0.9).toFixed(1)} ms; includes the screen re-rendering on the same thread while the write waits`
			},
			{
				benchmark: 'PouchDB code fetched before the first screen draws (learner on the phone)',
				measured: pouchBeforeDraw ? kb(pouch!.gzip) : '0 KB',
				budget: '0 KB',
				verdict: pouchBeforeDraw || !pouch ? 'over' : 'met',
				notes: pouch ? `PouchDB loads after drawing: ${kb(pouch.gzip)} gzip in one chunk` : 'PouchDB chunk not found in the build'
			}
		];
	} finally {
		await browser.close();
		await courses.server.stop();
	}
}
