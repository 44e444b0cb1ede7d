#!/usr/bin/env node
// `npm start`: build what is missing, then run the sync-server (app + API on one origin).
import { buildIfNeeded } from './build-if-needed.mjs';

buildIfNeeded();
await import('../sync-server/dist/sync-server/src/main.js');
