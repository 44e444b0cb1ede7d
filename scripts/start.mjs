#!/usr/bin/env node
// `npm start`: build what is missing, then run the sync-server (app + API on one origin),
// publishing the sample course unless PUBLISH_COURSES says otherwise.
import { buildIfNeeded } from './build-if-needed.mjs';

buildIfNeeded();
process.env.PUBLISH_COURSES ??= 'courses/public-procurement-essentials.zip';
await import('../sync-server/dist/sync-server/src/main.js');
