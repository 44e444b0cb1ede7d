/**
 * Builds the app and the sync-server when their output is missing or older than their sources,
 * so `npm start` on a fresh clone builds everything and a second `npm start` starts at once.
 */
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SKIP = new Set(['node_modules', 'paraglide', '.svelte-kit', 'dist']);

function newestChange(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(path)) {
		if (!SKIP.has(entry)) newest = Math.max(newest, newestChange(join(path, entry)));
	}
	return newest;
}

function outOfDate(output, inputs) {
	return !existsSync(output) || inputs.some((input) => newestChange(input) > statSync(output).mtimeMs);
}

const TARGETS = [
	{
		name: 'app',
		output: 'build/index.html',
		inputs: ['src', 'static', 'messages', 'project.inlang', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'],
		command: 'npm run build:app'
	},
	{
		name: 'server',
		output: 'sync-server/dist/sync-server/src/main.js',
		inputs: ['sync-server/src', 'src/lib/course-format', 'sync-server/tsconfig.json', 'package-lock.json'],
		command: 'npm run build:server'
	}
];

export function buildIfNeeded({ root = process.cwd(), only = ['app', 'server'] } = {}) {
	for (const { output, inputs, command } of TARGETS.filter((target) => only.includes(target.name))) {
		if (outOfDate(join(root, output), inputs.map((input) => join(root, input)))) {
			console.log(`sikho: building (${command})`);
			execSync(command, { cwd: root, stdio: 'inherit' });
		}
	}
}
