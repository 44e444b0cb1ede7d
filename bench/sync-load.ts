/**
 * A server under load: 1,000 learners each push 50 events, 50 learners syncing at a time (a
 * district's morning, compressed). Figures: events stored per second over the whole run, the
 * 95th-percentile time of one learner's sync, and the server's peak memory — its resident set,
 * sampled from outside every 100 ms (/proc/<pid>/status), the server being its own process.
 *
 * The compared row gives every learner the same client: stock PouchDB 9 `replicate` (push only)
 * from a database in memory, its defaults untouched, so the server is what differs. Each
 * learner's server database (and, for Sikho, their account and token) is made before timing
 * starts; so are the phones'.
 *  - stock: pouchdb-server --in-memory;
 *  - Sikho: the sync-server with its embedded store on disk (a temporary DATA_DIR) — "not
 *    available" until its accounts and replication routes answer.
 * A second Sikho run gives its server the load it meets in the field: each learner syncs with the
 * app's own client (a `SyncEngine`: push and pull, gzipped bodies, 500 a batch, checkpoints on the
 * phone only). It is reported for information: its client differs from the stock side's.
 */
import PouchDB, { keepAliveFetch, memoryPouch, type NodePouch, type NodePouchOptions } from './node-pouch';
import { cpuMs, sampleRss } from './process-usage';
import { failure, startSikhoForBench, type NotMeasured, type SikhoAccount, type SikhoSide } from './sikho-server';
import { StockPeer } from './stock-peer';
import { learnerEvents } from './sync-history';
import { median, percentile, type BenchRow } from './table';

export interface LoadOptions {
	learners: number;
	eventsPerLearner: number;
	/** Learners syncing at the same time. */
	concurrency: number;
}

export const LOAD: LoadOptions = { learners: 1000, eventsPerLearner: 50, concurrency: 50 };

/** A learner as the client needs them: who, where their database is, and the headers to send. */
export interface LoadLearner {
	learnerId: string;
	url: string;
	headers?: Record<string, string>;
	/** The learner's client, when not stock replication: syncs the phone and says how many events it pushed. */
	sync?: (phone: NodePouch) => Promise<number>;
}

export interface LoadServer {
	label: string;
	/** How the server was set up, for the report. */
	note?: string;
	/** The server's process, sampled for memory. */
	pid: number;
	/** Gives learner `n` a database on the server (and an account where the server has them). Not timed. */
	addLearner(n: number): Promise<LoadLearner>;
	/** How many `addLearner` calls may run at once. */
	addConcurrency: number;
}

export interface LoadFigures {
	label: string;
	note?: string;
	learners: number;
	events: number;
	wallMs: number;
	eventsPerSecond: number;
	p95Ms: number;
	medianMs: number;
	peakRssBytes: number;
	/** CPU time the server used during the run. */
	serverCpuMs: number;
	/** Server memory before the run, for scale. */
	idleRssBytes: number;
	/** Making the learners' server databases (and accounts), before timing. */
	addLearnersMs: number;
}

/** Runs `work(i)` for i in 0..count-1, at most `concurrency` at a time. */
async function pool(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async () => {
		for (let i = next++; i < count; i = next++) await work(i);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** The same client for every server: PouchDB's http adapter over a keep-alive fetch, plus the learner's headers. */
const remoteOptions = (learner: LoadLearner): NodePouchOptions => ({ fetch: keepAliveFetch, ...(learner.headers ? { headers: learner.headers } : {}) });

export async function measureSyncLoad(server: LoadServer, options: LoadOptions = LOAD): Promise<LoadFigures> {
	const { learners: count, eventsPerLearner, concurrency } = options;
	let started = performance.now();
	const learners: LoadLearner[] = new Array<LoadLearner>(count);
	await pool(count, server.addConcurrency, async (n) => {
		learners[n] = await server.addLearner(n);
	});
	const addLearnersMs = performance.now() - started;

	const phones: NodePouch[] = [];
	for (const [n, learner] of learners.entries()) {
		const phone = memoryPouch(`load-phone-${n}`);
		await phone.bulkDocs(learnerEvents({ learnerId: learner.learnerId, count: eventsPerLearner, seed: 1000 + n, start: '2026-03-02T09:00:00.000Z' }));
		phones.push(phone);
	}

	const idle = sampleRss(server.pid);
	const idleRssBytes = (await idle.stop()).peakBytes;
	const sampler = sampleRss(server.pid);
	const times: number[] = [];
	const cpuBefore = await cpuMs(server.pid);
	started = performance.now();
	await pool(count, concurrency, async (n) => {
		const learner = learners[n]!;
		const phone = phones[n]!;
		const t0 = performance.now();
		const pushed = learner.sync ? await learner.sync(phone) : (await PouchDB.replicate(phone, new PouchDB(learner.url, remoteOptions(learner)))).docs_written;
		times.push(performance.now() - t0);
		if (pushed !== eventsPerLearner) throw new Error(`${server.label}: learner ${n} pushed ${pushed} of ${eventsPerLearner} events`);
		await phone.destroy();
	});
	const wallMs = performance.now() - started;
	const { peakBytes } = await sampler.stop();
	const serverCpuMs = (await cpuMs(server.pid)) - cpuBefore;

	// Spot check that the server kept what it acknowledged: the last learner's database.
	const last = learners[count - 1]!;
	const stored = (await new PouchDB(last.url, remoteOptions(last)).info()).doc_count;
	if (stored !== eventsPerLearner) throw new Error(`${server.label}: the last learner's database holds ${stored} documents, not ${eventsPerLearner}`);

	return {
		label: server.label,
		note: server.note,
		learners: count,
		events: count * eventsPerLearner,
		wallMs,
		eventsPerSecond: (count * eventsPerLearner) / (wallMs / 1000),
		p95Ms: percentile(times, 0.95),
		medianMs: median(times),
		peakRssBytes: peakBytes,
		serverCpuMs,
		idleRssBytes,
		addLearnersMs
	};
}

export async function stockLoad(options: LoadOptions = LOAD): Promise<LoadFigures> {
	const peer = await StockPeer.start();
	try {
		return await measureSyncLoad(
			{
				label: 'pouchdb-server --in-memory',
				pid: peer.pid,
				addConcurrency: 8,
				addLearner: async (n) => ({ learnerId: `learner-${n}`, url: await peer.create(`learner-${n}`) })
			},
			options
		);
	} finally {
		await peer.stop();
	}
}

/** Who syncs with Sikho's server: stock PouchDB replication (as on the stock side), or the app's own client. */
export type SikhoClient = 'stock' | 'app';

export async function sikhoLoad(options: LoadOptions = LOAD, start: () => Promise<SikhoSide> = startSikhoForBench, client: SikhoClient = 'stock'): Promise<LoadFigures | NotMeasured> {
	const sikho = await start();
	try {
		const first = await sikho.register(undefined, 0);
		if ('unavailable' in first) return first;
		const unavailable = await sikho.syncRoutesMissing(first);
		if (unavailable) return { unavailable };
		const learner = (account: SikhoAccount): LoadLearner => {
			const stock = { learnerId: account.learnerId, url: account.dbUrl, headers: { Authorization: `Bearer ${account.accessToken}` } };
			if (client === 'stock') return stock;
			const sync = sikho.clientSync(account);
			return { ...stock, sync: async (phone) => (await sync(phone, account.dbUrl)).pushed };
		};
		return await measureSyncLoad(
			{
				label: client === 'stock' ? 'Sikho sync-server, embedded store on disk' : 'Sikho sync-server, embedded store on disk, the app’s client',
				note: `${sikho.note}; accounts registered through POST /api/auth/register`,
				pid: sikho.pid,
				// scrypt runs on libuv's 4 threads: more at once only queues.
				addConcurrency: 4,
				addLearner: async (n) => {
					if (n === 0) return learner(first);
					const account = await sikho.register(undefined, n);
					if ('unavailable' in account) throw new Error(account.unavailable);
					return learner(account);
				}
			},
			options
		);
	} finally {
		await sikho.stop();
	}
}

const perCpuSecond = (f: LoadFigures) => Math.round(f.events / (f.serverCpuMs / 1000)).toLocaleString('en');
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const describe = (f: LoadFigures) =>
	`${Math.round(f.eventsPerSecond).toLocaleString('en')} events/s, p95 ${(f.p95Ms / 1000).toFixed(2)} s, peak ${mb(f.peakRssBytes)}`;
const details = (f: LoadFigures) =>
	`${f.label}: ${f.events.toLocaleString('en')} events in ${(f.wallMs / 1000).toFixed(1)} s using ${(f.serverCpuMs / 1000).toFixed(1)} s of server CPU (${perCpuSecond(f)} events per server CPU-second), median ${(f.medianMs / 1000).toFixed(2)} s a learner, memory ${mb(f.idleRssBytes)} idle → ${mb(f.peakRssBytes)} peak (server process RSS, sampled every 100 ms); learners' databases made before timing in ${(f.addLearnersMs / 1000).toFixed(1)} s${f.note ? ` (${f.note})` : ''}`;

export const LOAD_BENCHMARK = 'Load: 1,000 learners × 50 events, 50 at a time — events/s, p95, peak memory (embedded store on disk vs pouchdb-server in-memory)';
export const LOAD_GOAL = '≥ 1.0× throughput';

export const APP_CLIENT_LOAD_BENCHMARK = 'Same load on Sikho’s server, each learner syncing with the app’s own client (SyncEngine: push + pull, gzip, 500 a batch)';

const cpuPerEvent = (f: LoadFigures, stock: LoadFigures) => (f.serverCpuMs / f.events / (stock.serverCpuMs / stock.events)).toFixed(2);

export function loadRows(stock: LoadFigures, sikho: LoadFigures | NotMeasured, withAppClient?: LoadFigures | NotMeasured): BenchRow[] {
	const client = `client: stock PouchDB replicate (push) from memory over keep-alive fetch, ${LOAD.concurrency} at a time, in the bench process`;
	const rows: BenchRow[] = [];
	if ('unavailable' in sikho || 'failed' in sikho) {
		const why = 'unavailable' in sikho ? `not available: ${sikho.unavailable}` : `failed: ${sikho.failed}`;
		rows.push({ benchmark: LOAD_BENCHMARK, measured: `stock: ${describe(stock)}`, budget: LOAD_GOAL, verdict: 'failed' in sikho ? 'over' : 'info', notes: `Sikho: ${why}. ${details(stock)}; ${client}` });
	} else {
		const ratio = sikho.eventsPerSecond / stock.eventsPerSecond;
		rows.push({
			benchmark: LOAD_BENCHMARK,
			measured: `${ratio.toFixed(2)}× throughput; Sikho: ${describe(sikho)}; stock: ${describe(stock)}`,
			budget: LOAD_GOAL,
			verdict: ratio >= 1 ? 'met' : 'over',
			notes: `server CPU per event, Sikho/stock: ${cpuPerEvent(sikho, stock)}×. ${details(sikho)}. ${details(stock)}; ${client}`
		});
	}
	if (withAppClient === undefined) return rows;
	if ('unavailable' in withAppClient || 'failed' in withAppClient) {
		const why = 'unavailable' in withAppClient ? `not available: ${withAppClient.unavailable}` : `failed: ${withAppClient.failed}`;
		rows.push({ benchmark: APP_CLIENT_LOAD_BENCHMARK, measured: why, budget: '—', verdict: 'failed' in withAppClient ? 'over' : 'info', notes: '' });
		return rows;
	}
	rows.push({
		benchmark: APP_CLIENT_LOAD_BENCHMARK,
		measured: `${describe(withAppClient)} (${(withAppClient.eventsPerSecond / stock.eventsPerSecond).toFixed(2)}× the stock server's figure above)`,
		budget: '—',
		verdict: 'info',
		notes: `server CPU per event ${cpuPerEvent(withAppClient, stock)}× stock's. ${details(withAppClient)}; client: the app's SyncEngine (src/lib/sync) per learner, ${LOAD.concurrency} at a time, in the bench process — its gzip and bookkeeping share this machine's cores with the server`
	});
	return rows;
}

export async function syncLoad(): Promise<BenchRow[]> {
	const stock = await stockLoad();
	const sikho = await sikhoLoad().catch(failure);
	const withAppClient = await sikhoLoad(LOAD, startSikhoForBench, 'app').catch(failure);
	return loadRows(stock, sikho, withAppClient);
}
