/**
 * What a server process uses, read from outside (Linux /proc): peak memory, as its resident set
 * (VmRSS in /proc/<pid>/status) sampled every 100 ms, and CPU time (utime + stime in
 * /proc/<pid>/stat). A separate process is the fair way to compare servers: the bench's own
 * clients and their databases are not counted. CPU time also says something when the machine is
 * shared and wall times are noisy.
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

/** CPU time the process has used so far (user + system), in ms. */
export async function cpuMs(pid: number): Promise<number> {
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
	// Fields after the command (which is in parentheses and may hold spaces): state is field 3, utime 14, stime 15.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const ticks = Number(fields[11]) + Number(fields[12]);
	return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS_PER_SECOND = 100;
