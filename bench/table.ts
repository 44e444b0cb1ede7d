/** The benchmark table: one row per figure, its budget and whether it is met. */
export interface BenchRow {
	benchmark: string;
	measured: string;
	budget: string;
	/** 'met' | 'over' for a budget; 'info' for figures kept to watch. */
	verdict: 'met' | 'over' | 'info';
	notes?: string;
}

export function markdownTable(rows: readonly BenchRow[]): string {
	const header = '| benchmark | measured | budget | verdict | notes |\n|---|---|---|---|---|';
	const lines = rows.map((r) => `| ${r.benchmark} | ${r.measured} | ${r.budget} | ${r.verdict} | ${r.notes ?? ''} |`);
	return [header, ...lines].join('\n');
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The value at fraction `p` of the sorted values (0.5: the median). */
export function percentile(values: readonly number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

export const median = (values: readonly number[]) => percentile(values, 0.5);
