/**
 * Peak memory of a server process, sampled from outside: its resident set (VmRSS in
 * /proc/<pid>/status, Linux) every 100 ms. A separate process is the fair way to compare servers:
 * the bench's own clients and their databases are not counted.
 */
import { readFile } from 'node:fs/promises';

export interface RssSampler {
	/** Stops sampling; the highest resident set seen, in bytes, and how many samples it took. */
	stop(): Promise<{ peakBytes: number; samples: number }>;
}

export async function residentBytes(pid: number): Promise<number | undefined> {
	const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
	const kb = status?.match(/^VmRSS:\s+(\d+)\s+kB$/m)?.[1];
	return kb === undefined ? undefined : Number(kb) * 1024;
}

export function sampleRss(pid: number, everyMs = 100): RssSampler {
	let peakBytes = 0;
	let samples = 0;
	const sample = async () => {
		const bytes = await residentBytes(pid);
		if (bytes === undefined) return;
		samples++;
		peakBytes = Math.max(peakBytes, bytes);
	};
	let pending = sample();
	const timer = setInterval(() => {
		pending = pending.then(sample);
	}, everyMs);
	return {
		async stop() {
			clearInterval(timer);
			await pending;
			await sample();
			return { peakBytes, samples };
		}
	};
}
