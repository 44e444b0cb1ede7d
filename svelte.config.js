import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

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
		// Registered by $lib/app-update so the app can see a waiting worker and offer "reload".
		serviceWorker: { register: false }
	}
};

export default config;
