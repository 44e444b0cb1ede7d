/**
 * Reconnect sync, as a learner meets it: the phone was offline and comes back with 200 events to
 * push while another phone of theirs left 50 on the server to pull, over a 300 ms round trip.
 * What it costs: HTTP requests, round trips (wall time ÷ RTT, and the longest chain of requests
 * made one after another), bytes each way on the wire (headers and bodies as sent, compressed
 * where the peers compressed), wall time.
 *
 * `measureSyncRoundTrips` measures one client/server pair; the pairs are
 *  - stock: PouchDB 9's one-shot sync with its defaults, over a keep-alive fetch as a browser's
 *    (see StockTransport) ↔ pouchdb-server --in-memory;
 *  - Sikho: the app's own client — a `SyncEngine` (src/lib/sync) making one sync with its
 *    replication options and its `syncFetch` (bearer token, gzipped bodies) ↔ Sikho's server
 *    (`/sync/<db>`) — see sikho-server.ts; it reports "not available" until those routes answer.
 * Both run the same scenario through the same latency proxy, so the ratios compare like with like.
 */
import { LatencyProxy } from '../sync-server/test-support/latency-proxy';
import PouchDB, { keepAliveFetch, memoryPouch, stockSync, type NodePouch, type SyncBothWays } from './node-pouch';
import { failure, startSikhoForBench, type NotMeasured, type SikhoSide } from './sikho-server';
import { StockPeer } from './stock-peer';
import { learnerEvents, profileDoc } from './sync-history';
import type { BenchRow } from './table';

export const RTT_MS = 300;
const TO_PUSH = 200;
const TO_PULL = 50;
/** Events both sides already had from the last sync, so this is a reconnect with checkpoints, not a first sync. */
const ALREADY_SYNCED = 40;

export interface RoundTripCase {
	label: string;
	/** The learner whose phone this is (events carry it; Sikho's server checks it against the token). */
	learnerId: string;
	/** The phone's database, empty. */
	makeLocal: () => NodePouch | Promise<NodePouch>;
	/** The learner's database on the server, addressed directly; the bench puts its proxy in front. */
	remoteUrl: string;
	/**
	 * One sync both ways between the phone and the server's database at `url` (the proxy's), as
	 * the client does it — its fetch, its replication options, a new remote handle each time as
	 * after an app restart; resolves with the documents written each way. Default: stock
	 * `PouchDB.sync(local, new PouchDB(url))` with PouchDB's defaults.
	 */
	sync?: SyncBothWays;
	/** Stores documents on the server as another phone of the same learner left them there (not measured). */
	prepareRemote: (docs: object[]) => Promise<void>;
}

export interface RoundTripFigures {
	label: string;
	requests: number;
	/** Wall time ÷ RTT. */
	roundTrips: number;
	/** The longest chain of requests each sent after the previous was answered. */
	sequentialRequests: number;
	connections: number;
	upBytes: number;
	downBytes: number;
	wallMs: number;
	/** Requests by method and path pattern, e.g. "POST _bulk_docs ×2", to see where they went. */
	requestMix: string;
}

/** What a request was for: `/db/_local/x` → `_local`, `/db/_changes?…` → `_changes`, `/db/` → `db`, `/sync/` → `/`. */
function endpoint(path: string): string {
	const segments = new URL(path, 'http://x').pathname.split('/').filter(Boolean);
	const [db, what] = segments[0] === 'sync' ? segments.slice(1) : segments;
	if (db === undefined) return '/';
	if (what === undefined) return 'db';
	return what.startsWith('_') ? what : 'doc';
}

export async function measureSyncRoundTrips(c: RoundTripCase, rttMs = RTT_MS): Promise<RoundTripFigures> {
	const proxy = await LatencyProxy.start({ target: new URL(c.remoteUrl).origin });
	const local = await c.makeLocal();
	const url = proxy.via(c.remoteUrl);
	const sync = c.sync ?? stockSync();
	try {
		// The last sync, on a fast link: both sides have the profile and some events, and checkpoints.
		const day = (d: number) => `2026-0${d}-01T09:00:00.000Z`;
		const earlier = learnerEvents({ learnerId: c.learnerId, count: ALREADY_SYNCED, seed: 1, start: day(1) });
		await local.bulkDocs([profileDoc('Asha Verma', 'Pune', day(1)), ...earlier]);
		// Twice, as a phone syncing every few minutes would have: the second brings the pull's
		// checkpoint past the documents the first pushed (its echo).
		await sync(local, url);
		await sync(local, url);
		await proxy.whenIdle();

		// Offline since: this phone wrote 200 events, another phone of the learner's synced 50.
		const fromThisPhone = learnerEvents({ learnerId: c.learnerId, count: TO_PUSH, seed: 2, start: day(2), firstLesson: 10 });
		const fromOtherPhone = learnerEvents({ learnerId: c.learnerId, count: TO_PULL, seed: 3, start: day(3), firstLesson: 60 });
		await local.bulkDocs(fromThisPhone);
		await c.prepareRemote(fromOtherPhone);

		// Coming back online: the old connections are gone, and the link is slow.
		await proxy.dropConnections();
		await new Promise((resolve) => setTimeout(resolve, 50)); // let the client see them close
		proxy.rttMs = rttMs;
		proxy.reset();
		const started = performance.now();
		const { pushed, pulled } = await sync(local, url);
		const wallMs = performance.now() - started;
		// A client may send a last request after its sync says done (PouchDB does): counted too.
		await proxy.whenIdle();
		const wire = proxy.wire();

		// The figures count only if the sync did the whole job.
		if (pushed !== TO_PUSH || pulled !== TO_PULL) throw new Error(`${c.label}: sync wrote ${pushed} up and ${pulled} down, not ${TO_PUSH} and ${TO_PULL}`);
		const expected = 1 + ALREADY_SYNCED + TO_PUSH + TO_PULL;
		const localCount = (await local.info()).doc_count;
		if (localCount !== expected) throw new Error(`${c.label}: the phone has ${localCount} documents, not ${expected}`);

		const mix = new Map<string, number>();
		for (const r of proxy.requests) {
			const what = `${r.method} ${endpoint(r.path)}`;
			mix.set(what, (mix.get(what) ?? 0) + 1);
		}
		return {
			label: c.label,
			requests: proxy.requests.length,
			roundTrips: wallMs / rttMs,
			sequentialRequests: proxy.sequentialRequests(),
			connections: wire.connections,
			upBytes: wire.up,
			downBytes: wire.down,
			wallMs,
			requestMix: [...mix].map(([k, n]) => `${k} ×${n}`).join(', ')
		};
	} finally {
		await local.destroy();
		await proxy.close();
	}
}

/**
 * How the stock client reaches the server. In Node, PouchDB's own fetch is node-fetch 2, which
 * sends `Connection: close` (a new connection, so one more round trip, for every request); a
 * browser's fetch keeps connections open. The comparison uses the browser-like one (Node's global
 * fetch, keep-alive) so that Sikho is not credited with what any browser does anyway.
 */
export type StockTransport = 'keep-alive' | 'pouchdb-node-default';

/** Runs of each pair: replication's push and pull race each other, so counts vary a little from run to run. */
export const RUNS = 3;

/** The run with the median round trips. */
export function medianRun(runs: readonly RoundTripFigures[]): RoundTripFigures {
	return [...runs].sort((a, b) => a.roundTrips - b.roundTrips)[Math.floor((runs.length - 1) / 2)]!;
}

/** Stock PouchDB 9 with its default replication ↔ pouchdb-server --in-memory; one database per run. */
export async function stockRoundTrips(transport: StockTransport = 'keep-alive', runs = RUNS): Promise<RoundTripFigures[]> {
	const peer = await StockPeer.start();
	try {
		const figures: RoundTripFigures[] = [];
		for (let run = 1; run <= runs; run++) {
			const db = `learner-asha-${run}`;
			figures.push(
				await measureSyncRoundTrips({
					label: `stock PouchDB ↔ pouchdb-server (${transport})`,
					learnerId: 'asha-0001',
					makeLocal: () => memoryPouch('phone'),
					remoteUrl: await peer.create(db),
					sync: stockSync(transport === 'keep-alive' ? keepAliveFetch : undefined),
					prepareRemote: (docs) => peer.bulkDocs(db, docs)
				})
			);
		}
		return figures;
	} finally {
		await peer.stop();
	}
}

/** Sikho's client ↔ Sikho's server (a new account per run), or why it cannot be measured yet. */
export async function sikhoRoundTrips(runs = RUNS, start: () => Promise<SikhoSide> = startSikhoForBench): Promise<RoundTripFigures[] | NotMeasured> {
	const sikho = await start();
	try {
		const figures: RoundTripFigures[] = [];
		for (let run = 1; run <= runs; run++) {
			const account = await sikho.register();
			if ('unavailable' in account) return account;
			const unavailable = await sikho.syncRoutesMissing(account);
			if (unavailable) return { unavailable };
			const fetch = sikho.clientFetch(account);
			figures.push(
				await measureSyncRoundTrips({
					label: 'Sikho client ↔ Sikho server',
					learnerId: account.learnerId,
					makeLocal: () => memoryPouch('phone'),
					remoteUrl: account.dbUrl,
					sync: sikho.clientSync(account),
					// Another phone of the same learner pushes its events through the same routes.
					prepareRemote: async (docs) => {
						const other = memoryPouch('other-phone');
						await other.bulkDocs(docs);
						const result = await PouchDB.replicate(other, new PouchDB(account.dbUrl, { fetch }));
						await other.destroy();
						if (result.docs_written !== docs.length) throw new Error(`the other phone pushed ${result.docs_written} of ${docs.length} events`);
					}
				})
			);
		}
		return figures;
	} finally {
		await sikho.stop();
	}
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const describe = (f: RoundTripFigures) =>
	`${f.requests} requests, ${f.roundTrips.toFixed(1)} round trips (${f.sequentialRequests} one after another), ${kb(f.upBytes)} up, ${kb(f.downBytes)} down, ${(f.wallMs / 1000).toFixed(2)} s`;

export const ROUND_TRIPS_BENCHMARK = `Reconnect sync: ${TO_PUSH} up / ${TO_PULL} down at ${RTT_MS} ms RTT — requests, round trips, bytes (Sikho vs stock PouchDB ↔ pouchdb-server)`;
export const ROUND_TRIPS_GOAL = 'fewer round trips and ≤ 0.7× bytes';

const spread = (runs: readonly RoundTripFigures[]) => `round trips over ${runs.length} run${runs.length === 1 ? '' : 's'}: ${runs.map((r) => r.roundTrips.toFixed(1)).join(', ')}, the median run shown`;

export function roundTripRows(stockRuns: RoundTripFigures[], sikhoRuns: RoundTripFigures[] | NotMeasured, nodeDefault?: RoundTripFigures): BenchRow[] {
	const stock = medianRun(stockRuns);
	const stockNotes =
		`stock (PouchDB over keep-alive fetch, as in a browser): ${describe(stock)}; ${stock.connections} new connections; requests: ${stock.requestMix}; ${spread(stockRuns)}` +
		(nodeDefault ? `. Stock with PouchDB's Node default fetch (node-fetch, Connection: close): ${describe(nodeDefault)}, ${nodeDefault.connections} connections` : '');
	if ('unavailable' in sikhoRuns || 'failed' in sikhoRuns) {
		const why = 'unavailable' in sikhoRuns ? `not available: ${sikhoRuns.unavailable}` : `failed: ${sikhoRuns.failed}`;
		return [{ benchmark: ROUND_TRIPS_BENCHMARK, measured: `stock: ${describe(stock)}`, budget: ROUND_TRIPS_GOAL, verdict: 'failed' in sikhoRuns ? 'over' : 'info', notes: `Sikho: ${why}. ${stockNotes}` }];
	}
	const sikho = medianRun(sikhoRuns);
	const bytes = (sikho.upBytes + sikho.downBytes) / (stock.upBytes + stock.downBytes);
	const requests = sikho.requests / stock.requests;
	const met = sikho.roundTrips < stock.roundTrips && bytes <= 0.7;
	return [
		{
			benchmark: ROUND_TRIPS_BENCHMARK,
			measured: `Sikho/stock: requests ${requests.toFixed(2)}×, round trips ${sikho.roundTrips.toFixed(1)} vs ${stock.roundTrips.toFixed(1)}, bytes ${bytes.toFixed(2)}× (up ${(sikho.upBytes / stock.upBytes).toFixed(2)}×, down ${(sikho.downBytes / stock.downBytes).toFixed(2)}×)`,
			budget: ROUND_TRIPS_GOAL,
			verdict: met ? 'met' : 'over',
			notes: `Sikho: ${describe(sikho)}; ${sikho.connections} new connections; requests: ${sikho.requestMix}; ${spread(sikhoRuns)}. ${stockNotes}`
		}
	];
}

export async function syncRoundTrips(): Promise<BenchRow[]> {
	const stock = await stockRoundTrips('keep-alive');
	const [nodeDefault] = await stockRoundTrips('pouchdb-node-default', 1);
	const sikho = await sikhoRoundTrips().catch(failure);
	return roundTripRows(stock, sikho, nodeDefault);
}
