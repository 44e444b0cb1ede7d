#!/usr/bin/env node
/**
 * `npm run dev`: Vite's dev server with hot reload on http://localhost:5173, the sync-server on
 * :8080 restarting on change (Vite hands it /api, /sync, /content), and Paraglide recompiling
 * messages as they are edited. Ctrl-C stops all three.
 */
import { spawn } from 'node:child_process';
import { buildIfNeeded } from './build-if-needed.mjs';

// The sync-server reads the built shell page at start (for its CSP), so one build must exist.
buildIfNeeded();

const children = [
	spawn('npx', ['paraglide-js', 'compile', '--watch', '--project', './project.inlang', '--outdir', './src/lib/paraglide', '--strategy', 'localStorage', 'preferredLanguage', 'baseLocale'], { stdio: 'inherit' }),
	spawn('npx', ['tsx', 'watch', 'sync-server/src/main.ts'], { stdio: 'inherit', env: { ...process.env, PORT: process.env.PORT ?? '8080' } }),
	spawn('npx', ['vite', 'dev'], { stdio: 'inherit' })
];

const stop = () => children.forEach((child) => child.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
children.forEach((child) => child.on('exit', stop));
