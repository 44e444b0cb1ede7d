import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
// Unique per build, readable by a learner reading it to support: "0.1.0-202611221305" (UTC).
// The service worker versions the shell page by it, so every deploy is picked up.
// SvelteKit evaluates this file several times in one build: the stamp is taken once and kept in
// the environment, or a build that crosses a minute would mix two versions and fail to start.
process.env.SIKHO_BUILD_STAMP ??= new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
const buildStamp = process.env.SIKHO_BUILD_STAMP;

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({
			pages: 'build',
			assets: 'build',
			// An SPA: every route renders in the browser from this one shell page.
			fallback: 'index.html',
			// The sync-server sends the .br/.gz files as they are, so no CPU goes on compressing per request.
			precompress: true,
			strict: true
		}),
		version: { name: `${version}-${buildStamp}` },
		// Registered by $lib/app-update so the app can see a waiting worker and offer "reload".
		serviceWorker: { register: false }
	}
};

export default config;
