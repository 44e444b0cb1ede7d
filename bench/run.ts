/**
 * `npm run bench`: every benchmark, printed as a table and written to bench/results/latest.md.
 * Budgets are checked here, never inside tests: this machine is too noisy for timed assertions.
 *
 * `tsx bench/run.ts --only sync` runs the benchmarks whose name contains "sync" (names below) and
 * only prints them: latest.md stays the record of a whole run. The sync ones need no app build.
 */
import { execSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { appSize } from './app-size';
import { courseDownload } from './course-download';
import { learning } from './learning';
import { progressDerive } from './progress-derive';
import { recordEvent } from './record-event';
import { sideload } from './sideload';
import { syncLoad } from './sync-load';
import { syncRoundTrips } from './sync-round-trips';
import { markdownTable, type BenchRow } from './table';

const benchmarks: Record<string, () => Promise<BenchRow[]>> = {
	'app-size': appSize,
	'course-download': courseDownload,
	'record-event': recordEvent,
	learning,
	'progress-derive': progressDerive,
	sideload,
	'sync-round-trips': syncRoundTrips,
	'sync-load': syncLoad
};

const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : process.argv[onlyAt + 1];
if (onlyAt !== -1 && !only) throw new Error(`--only needs part of a benchmark's name: ${Object.keys(benchmarks).join(', ')}`);
const chosen = Object.entries(benchmarks).filter(([name]) => only === undefined || name.includes(only));
if (chosen.length === 0) throw new Error(`no benchmark's name contains "${only}": ${Object.keys(benchmarks).join(', ')}`);

const rows: BenchRow[] = [];
for (const [, benchmark] of chosen) rows.push(...(await benchmark()));

const commit = (() => {
	try {
		return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
	} catch {
		return 'unknown';
	}
})();
const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`;
const table = markdownTable(rows);
const report = `# Benchmarks\n\nRun ${new Date().toISOString()} at commit ${commit} on ${machine}.\n\n${table}\n`;

console.log(table);
if (only === undefined) {
	await writeFile(new URL('./results/latest.md', import.meta.url), report);
	console.log('\nwritten to bench/results/latest.md');
}
if (rows.some((row) => row.verdict === 'over')) process.exitCode = 1;
