import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// `npm run dev` runs the sync-server on 8080; the dev server hands API calls to it.
const apiTarget = process.env.SIKHO_API ?? 'http://127.0.0.1:8080';
const api = { target: apiTarget, changeOrigin: false };

export default defineConfig({
	plugins: [sveltekit()],
	server: {
		proxy: { '/api': api, '/sync': api, '/content': api, '/healthz': api }
	},
	test: {
		projects: [
			{
				extends: true,
				test: { name: 'app', include: ['src/**/*.spec.ts'], environment: 'node' }
			},
			{
				test: { name: 'server', include: ['sync-server/**/*.spec.ts', 'scripts/**/*.spec.ts'], environment: 'node' }
			}
		]
	}
});
