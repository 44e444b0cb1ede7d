/**
 * `npm run bench`: every benchmark, printed as a table and written to bench/results/latest.md.
 * Budgets are checked here, never inside tests: this machine is too noisy for timed assertions.
 */
import { execSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { appSize } from './app-size';
import { courseDownload } from './course-download';
import { learning } from './learning';
import { progressDerive } from './progress-derive';
import { recordEvent } from './record-event';
import { markdownTable, type BenchRow } from './table';

const benchmarks: Array<() => Promise<BenchRow[]>> = [appSize, courseDownload, recordEvent, learning, progressDerive];

const rows: BenchRow[] = [];
for (const benchmark of benchmarks) rows.push(...(await benchmark()));

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
await writeFile(new URL('./results/latest.md', import.meta.url), report);
console.log('\nwritten to bench/results/latest.md');
if (rows.some((row) => row.verdict === 'over')) process.exitCode = 1;
