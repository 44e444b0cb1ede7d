/**
 * Starts the sync-server: `node sync-server/dist/sync-server/src/main.js` (npm start does this after building).
 * SIGTERM and SIGINT close it cleanly: no new requests, open ones finish, then exit 0.
 */
import { mkdir } from 'node:fs/promises';
import { ConfigError, loadConfig } from './config.js';
import { buildServer } from './server.js';
import { AppNotBuiltError } from './web/app-files.js';

/** A shutdown that takes longer than this is forced, so an orchestrator never waits forever. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
	const config = loadConfig();
	await mkdir(config.dataDir, { recursive: true });
	const app = await buildServer(config);

	let closing = false;
	const shutdown = (signal: NodeJS.Signals) => {
		if (closing) return;
		closing = true;
		app.log.info({ signal }, 'shutting down');
		setTimeout(() => {
			app.log.error('shutdown took too long; exiting');
			process.exit(1);
		}, SHUTDOWN_GRACE_MS).unref();
		app.close().then(
			() => process.exit(0),
			(error: unknown) => {
				app.log.error({ err: error }, 'shutdown failed');
				process.exit(1);
			}
		);
	};
	process.once('SIGTERM', shutdown);
	process.once('SIGINT', shutdown);

	const address = await app.listen({ port: config.port, host: config.host });
	app.log.info({ address, dataDir: config.dataDir, appDir: config.appDir }, `Sikho is serving at ${address}`);
}

main().catch((error: unknown) => {
	// Configuration and missing-build problems are the operator's to fix: one clear line, no stack.
	if (error instanceof ConfigError || error instanceof AppNotBuiltError) {
		console.error(error.message);
		process.exit(2);
	}
	console.error(error);
	process.exit(1);
});
