/**
 * A CouchDB-protocol server for tests: pouchdb-server in memory on a free loopback port, started
 * by the test and stopped by it. It is a test peer only (PouchDB 7 inside, unmaintained), used so
 * the CouchDB store is tested over real HTTP without installing CouchDB. It writes config.json
 * and log.txt into its working folder, so it runs in a temporary one, removed on stop.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../node_modules/.bin/pouchdb-server', import.meta.url));

export interface CouchPeer {
	/** `http://127.0.0.1:<port>/` */
	url: string;
	stop(): Promise<void>;
}

/** A port nobody listens on now (another process could take it before the peer does; `startCouchPeer` retries). */
async function freePort(): Promise<number> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const address = server.address();
	server.close();
	await once(server, 'close');
	if (address === null || typeof address === 'string') throw new Error('no port');
	return address.port;
}

async function startOnce(): Promise<CouchPeer> {
	const dir = await mkdtemp(join(tmpdir(), 'sikho-couch-peer-'));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}/`;
	const child = spawn(bin, ['--in-memory', '--port', String(port), '--host', '127.0.0.1'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = once(child, 'exit');
	// If the test process ends without stopping the peer (a crash, a closed pipe), the peer ends too.
	const orphaned = () => child.kill('SIGTERM');
	process.once('exit', orphaned);

	const stop = async () => {
		process.off('exit', orphaned);
		if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
			process.kill(child.pid, 'SIGTERM');
			await exited;
		}
		await rm(dir, { recursive: true, force: true });
	};

	// Ready when `GET /` answers 200; fails if the process ends first.
	let ended = false;
	void exited.then(() => (ended = true));
	for (let attempt = 0; attempt < 300; attempt++) {
		if (ended) {
			await stop();
			throw new Error(`pouchdb-server exited before serving:\n${output}`);
		}
		const ready = await fetch(url).then(
			(response) => response.status === 200,
			() => false
		);
		if (ready) return { url, stop };
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	await stop();
	throw new Error(`pouchdb-server did not answer on ${url} within 30 s:\n${output}`);
}

/** Starts a peer; a port taken in the meantime is retried with another. */
export async function startCouchPeer(): Promise<CouchPeer> {
	let lastError: unknown;
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			return await startOnce();
		} catch (error) {
			lastError = error;
		}
	}
	throw lastError;
}
