import { defineConfig } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from './tests/support/chromium';

const port = Number(process.env.E2E_PORT ?? 18080);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
	testDir: 'tests',
	testMatch: '**/*.e2e.ts',
	fullyParallel: true,
	workers: 2,
	forbidOnly: true,
	retries: 0,
	reporter: [['list']],
	timeout: 30_000,
	expect: { timeout: 10_000 },
	use: {
		baseURL,
		// A typical learner's phone.
		viewport: { width: 360, height: 740 },
		serviceWorkers: 'allow',
		launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
		trace: 'retain-on-failure'
	},
	// The real sync-server serving the built app, as `npm start` runs it.
	webServer: {
		command: 'node sync-server/dist/sync-server/src/main.js',
		url: `${baseURL}/healthz`,
		reuseExistingServer: false,
		timeout: 30_000,
		env: {
			PORT: String(port),
			HOST: '127.0.0.1',
			DATA_DIR: join(tmpdir(), `sikho-e2e-${port}`),
			LOG_LEVEL: 'warn',
			PUBLISH_COURSES: 'courses/public-procurement-essentials.zip'
		}
	}
});
