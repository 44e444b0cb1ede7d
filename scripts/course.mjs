#!/usr/bin/env node
// `npm run course -- <command>`: the course CLI (sync-server/src/course-cli/main.ts), built first if needed.
import { buildIfNeeded } from './build-if-needed.mjs';

buildIfNeeded({ only: ['server'] });
const { runCourseCli } = await import('../sync-server/dist/sync-server/src/course-cli/main.js');
process.exitCode = await runCourseCli(process.argv.slice(2));
