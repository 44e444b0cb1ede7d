/**
 * The stock peer the sync benchmarks compare Sikho with: pouchdb-server 4 (express-pouchdb) with
 * `--in-memory`, its own process on 127.0.0.1, started in a temporary folder because it writes
 * config.json and log.txt where it runs. Stopped by pid when the bench is done.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../tests/support/server-process';

const BIN = join(process.cwd(), 'node_modules', 'pouchdb-server', 'bin', 'pouchdb-server');

export class StockPeer {
	private constructor(
		private readonly child: ChildProcess,
		private readonly dir: string,
		readonly url: string
	) {}

	static async start(): Promise<StockPeer> {
		const dir = await mkdtemp(join(tmpdir(), 'sikho-stock-peer-'));
		const port = await freePort();
		// `node <bin>` rather than the .bin shim, so the pid we sample and stop is the server itself.
		const child = spawn(process.execPath, [BIN, '--in-memory', '--host', '127.0.0.1', '--port', String(port), '--no-stdout-logs'], {
			cwd: dir,
			stdio: ['ignore', 'ignore', 'inherit']
		});
		const peer = new StockPeer(child, dir, `http://127.0.0.1:${port}`);
		await peer.waitUntilReady();
		return peer;
	}

	get pid(): number {
		return this.child.pid!;
	}

	/** The server's URL of a database (created with `create`, or by a client's PUT). */
	dbUrl(name: string): string {
		return `${this.url}/${name}`;
	}

	async create(name: string): Promise<string> {
		const res = await fetch(this.dbUrl(name), { method: 'PUT' });
		if (res.status !== 201) throw new Error(`pouchdb-server: PUT /${name} answered ${res.status} ${await res.text()}`);
		return this.dbUrl(name);
	}

	/** Writes documents as they are (`new_edits: false` keeps their revisions, as replication from another phone would). */
	async bulkDocs(name: string, docs: object[]): Promise<void> {
		const res = await fetch(`${this.dbUrl(name)}/_bulk_docs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ docs }) });
		const results = (await res.json()) as Array<{ error?: string }>;
		if (res.status !== 201 || results.some((r) => r.error)) throw new Error(`pouchdb-server: _bulk_docs failed: ${res.status} ${JSON.stringify(results.find((r) => r.error))}`);
	}

	async stop(): Promise<void> {
		if (this.child.exitCode === null && this.child.signalCode === null) {
			const exited = once(this.child, 'exit');
			process.kill(this.pid, 'SIGTERM');
			await exited;
		}
		await rm(this.dir, { recursive: true, force: true });
	}

	private async waitUntilReady(): Promise<void> {
		const deadline = Date.now() + 20_000;
		while (Date.now() < deadline) {
			if (this.child.exitCode !== null) throw new Error(`pouchdb-server exited with ${this.child.exitCode}`);
			const ready = await fetch(this.url).then((r) => r.ok, () => false);
			if (ready) return;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		await this.stop();
		throw new Error('pouchdb-server did not start within 20 s');
	}
}
