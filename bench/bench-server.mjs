// The built sync-server for the load benchmark: the same server npm start runs, with a cheaper
// password hash and no registration limit, so 1,000 learners can be registered from one address
// before timing starts. Nothing here is in the timed part: sync requests meet the real server.
import { mkdir } from 'node:fs/promises';
import { loadConfig } from '../sync-server/dist/sync-server/src/config.js';
import { buildServer } from '../sync-server/dist/sync-server/src/server.js';

const config = loadConfig();
await mkdir(config.dataDir, { recursive: true });
const app = await buildServer(config, { passwordCost: { log2N: 10, r: 8, p: 1 }, authLimits: { registerPerAddress: 1_000_000 } });
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
await app.listen({ port: config.port, host: config.host });
