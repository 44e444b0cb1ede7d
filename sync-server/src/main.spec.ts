import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeFixture } from '../test-support/app-fixture.js';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

function startServer(env: Record<string, string>): { child: ChildProcess; output: () => string } {
	let output = '';
	const child = spawn(process.execPath, ['--import', 'tsx', main], {
		env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	return { child, output: () => output };
}

/** Resolves with the address once the server logs that it listens; rejects if it exits first. */
function listeningAddress(server: ReturnType<typeof startServer>): Promise<string> {
	return new Promise((resolve, reject) => {
		const check = () => {
			const match = /"address":"(http:\/\/[^"]+)"/.exec(server.output());
			if (match?.[1]) {
				server.child.stdout?.off('data', check);
				resolve(match[1]);
			}
		};
		server.child.stdout?.on('data', check);
		server.child.once('exit', () => reject(new Error(`server exited before listening:\n${server.output()}`)));
	});
}

// Each test starts a real server process; on a loaded 2-core machine that alone can take seconds.
describe('the sync-server process', { timeout: 30_000 }, () => {
	it('serves, then on SIGTERM stops taking requests and exits 0', async () => {
		const fixture = await makeFixture();
		const server = startServer({ APP_DIR: fixture.appDir, DATA_DIR: fixture.dataDir });
		const address = await listeningAddress(server);

		const health = await fetch(`${address}/healthz`);
		expect(health.status).toBe(200);

		const exited = once(server.child, 'exit');
		server.child.kill('SIGTERM');
		const [code] = await exited;
		expect(code).toBe(0);
		expect(server.output()).toContain('"msg":"shutting down"');
		await expect(fetch(`${address}/healthz`)).rejects.toThrow();
	}, 20_000);

	it('refuses a bad setting with one line naming it, exit code 2', async () => {
		const server = startServer({ PORT: 'not-a-port' });
		const [code] = await once(server.child, 'exit');
		expect(code).toBe(2);
		expect(server.output().trim().split('\n')).toHaveLength(1);
		expect(server.output()).toMatch(/Invalid configuration: PORT/);
	}, 20_000);

	it('refuses to start without a built app and says how to build it', async () => {
		const fixture = await makeFixture();
		const server = startServer({ APP_DIR: fixture.dataDir, DATA_DIR: fixture.dataDir });
		const [code] = await once(server.child, 'exit');
		expect(code).toBe(2);
		expect(server.output()).toMatch(/npm run build:app/);
	}, 20_000);
});
