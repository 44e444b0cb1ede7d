/**
 * Zod as this project uses it. Jitless: Zod 4 otherwise probes `new Function` to compile faster
 * parsers, which the app's Content-Security-Policy (no 'unsafe-eval') rightly reports and blocks.
 */
import { z } from 'zod';

z.config({ jitless: true });

export { z };
