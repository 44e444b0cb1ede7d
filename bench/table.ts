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
