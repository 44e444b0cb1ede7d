/**
 * Starts the real sync-server as its own process, for tests that must restart it or deploy a
 * different build on the same origin. It binds to loopback and is stopped by the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const address = server.address();
	server.close();
	if (address === null || typeof address === 'string') throw new Error('no port');
	return address.port;
}

export class ServerProcess {
	private constructor(
		private readonly child: ChildProcess,
		readonly url: string
	) {}

	static async start({ port, appDir, dataDir, env = {} }: { port: number; appDir: string; dataDir?: string; env?: Record<string, string> }): Promise<ServerProcess> {
		const child = spawn(process.execPath, ['sync-server/dist/sync-server/src/main.js'], {
			env: {
				...process.env,
				PORT: String(port),
				HOST: '127.0.0.1',
				APP_DIR: appDir,
				DATA_DIR: dataDir ?? (await mkdtemp(join(tmpdir(), 'sikho-data-'))),
				LOG_LEVEL: 'warn',
				...env
			},
			stdio: ['ignore', 'ignore', 'inherit']
		});
		const url = `http://127.0.0.1:${port}`;
		const server = new ServerProcess(child, url);
		await server.waitUntilHealthy();
		return server;
	}

	private async waitUntilHealthy(): Promise<void> {
		const deadline = Date.now() + 15_000;
		while (Date.now() < deadline) {
			if (this.child.exitCode !== null) throw new Error(`sync-server exited with ${this.child.exitCode}`);
			const healthy = await fetch(`${this.url}/healthz`).then((r) => r.ok, () => false);
			if (healthy) return;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		throw new Error('sync-server did not become healthy');
	}

	async stop(): Promise<void> {
		if (this.child.exitCode !== null) return;
		const exited = once(this.child, 'exit');
		this.child.kill('SIGTERM');
		await exited;
	}
}
