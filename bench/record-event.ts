/**
 * Issue 4's figure on its own: recording one progress event in Chromium — the app's own
 * `recorderFor` (validation, then PouchDB's put on IndexedDB), bundled for a bare page, so nothing
 * else on the main thread (a screen re-rendering) is counted. The quiz screen's figure, which
 * includes that, is measured in learning.ts.
 */
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/support/chromium';
import { freePort, ServerProcess } from '../tests/support/server-process';
import { BUILD_DIR } from '../tests/support/deploy';
import { median, percentile, type BenchRow } from './table';

const WRITES = 300;

const ENTRY = `
import PouchDB from '$lib/progress/pouch';
import { recorderFor } from '$lib/progress/learner-progress';
window.recordEvents = async (count) => {
	const recorder = recorderFor('bench-learner', new PouchDB('bench-learner-' + Date.now(), { adapter: 'indexeddb' }));
	const times = [];
	for (let i = 0; i < count + 20; i++) {
		const started = performance.now();
		await recorder.record({ type: 'answer-saved', courseId: 'bench-course', courseVersion: 1, lessonId: 'quiz-one',
			attemptId: '01JD0000000000000000000000', questionId: 'q' + (i % 8), answer: { type: 'single', optionId: 'b' } });
		// The first writes open the database and warm the code: not what a learner's tap costs.
		if (i >= 20) times.push(performance.now() - started);
	}
	return times;
};`;

export async function recordEvent(): Promise<BenchRow[]> {
	const bundle = await build({
		stdin: { contents: ENTRY, resolveDir: process.cwd(), loader: 'js' },
		bundle: true,
		format: 'esm',
		write: false,
		minify: true,
		alias: { $lib: './src/lib' },
		logLevel: 'silent'
	});
	const script = bundle.outputFiles[0]!.text;
	const server = await ServerProcess.start({ port: await freePort(), appDir: BUILD_DIR });
	const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
	try {
		// A bare page on the app's origin (IndexedDB needs one), without the app or its worker.
		const context = await browser.newContext({ serviceWorkers: 'block' });
		const page = await context.newPage();
		await page.route('**/record-bench', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title>' }));
		await page.goto(`${server.url}/record-bench`);
		await page.addScriptTag({ content: script, type: 'module' });
		await page.waitForFunction(() => 'recordEvents' in window);
		const times = await page.evaluate((n) => (window as unknown as { recordEvents: (n: number) => Promise<number[]> }).recordEvents(n), WRITES);
		const middle = median(times);
		return [
			{
				benchmark: 'Record one progress event in Chromium (validate + PouchDB put on IndexedDB)',
				measured: `${middle.toFixed(2)} ms median (${times.length} writes)`,
				budget: '≤ 5 ms',
				verdict: middle <= 5 ? 'met' : 'over',
				notes: `p90 ${percentile(times, 0.9).toFixed(2)} ms; the app's recorder on a bare page, one write after another`
			}
		];
	} finally {
		await browser.close();
		await server.stop();
	}
}
