/**
 * The sync-server's settings, read and checked in one place: defaults, then the environment.
 * A bad value stops the server at start with every problem named, never halfway through a sync.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

/** The repository: the nearest folder above this module with a package.json (from src or dist). */
function findRepoRoot(from: string): string {
	for (let dir = from; ; dir = dirname(dir)) {
		if (existsSync(join(dir, 'package.json'))) return dir;
		if (dirname(dir) === dir) return process.cwd();
	}
}

const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const schema = z.object({
	PORT: z.coerce.number().int().min(0).max(65535).default(8080),
	// Loopback by default: a laptop serving Sikho is not exposed to the network unless asked.
	HOST: z.string().min(1).default('127.0.0.1'),
	DATA_DIR: z.string().min(1).default(resolve(repoRoot, 'data')),
	APP_DIR: z.string().min(1).default(resolve(repoRoot, 'build')),
	LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
	// Without it, nobody can publish over HTTP; courses can still be published at start.
	ADMIN_TOKEN: z.string().min(24, 'at least 24 characters').optional(),
	// Signs learners' access tokens; without it one is generated into DATA_DIR (accounts/token-secret.ts).
	TOKEN_SECRET: z.string().min(32, 'at least 32 characters').optional(),
	PUBLISH_COURSES: z.string().default(''),
	// Only behind a proxy that sets X-Forwarded-For; otherwise a phone could claim any address.
	TRUST_PROXY: z.enum(['true', 'false']).default('false'),
	// Unset: learners' data stays in the embedded store under DATA_DIR.
	COUCHDB_URL: z.url({ protocol: /^https?$/, error: 'an http(s) URL such as http://user:password@127.0.0.1:5984/' }).optional()
}).refine((c) => !c.COUCHDB_URL || c.TOKEN_SECRET, {
	// Several servers share one CouchDB; each must accept the tokens the others signed.
	path: ['TOKEN_SECRET'],
	message: 'required with COUCHDB_URL, the same on every server'
});

export interface Config {
	port: number;
	host: string;
	/** Where the embedded store keeps learners' data. */
	dataDir: string;
	/** The built PWA (`npm run build:app`), served from the same origin as the API. */
	appDir: string;
	logLevel: (typeof LOG_LEVELS)[number];
	/** Bearer token for `POST /api/courses`; publishing over HTTP is off without one. */
	adminToken?: string;
	/** Key for learners' access tokens (HS256); servers sharing one CouchDB must share it. */
	tokenSecret?: string;
	/** Course folders or bundles to publish when the server starts (npm start: the sample course). */
	publishCourses: string[];
	/** Apache CouchDB holding learners' data (`http(s)://user:password@host:5984/`); the embedded store when absent. Log it only through `maskUrl`. */
	couchdbUrl?: string;
	/** Take the client's address from X-Forwarded-For (behind a load balancer); off by default. */
	trustProxy: boolean;
}

/** The URL with any password replaced, fit for a log line. */
export function maskUrl(url: string): string {
	const parsed = new URL(url);
	if (parsed.password) parsed.password = '***';
	return parsed.href;
}

export class ConfigError extends Error {
	override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
	// Empty variables count as unset, as a shell `PORT= npm start` means.
	const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
	const parsed = schema.safeParse(present);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
		throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
	}
	const c = parsed.data;
	return {
		port: c.PORT,
		host: c.HOST,
		dataDir: resolve(c.DATA_DIR),
		appDir: resolve(c.APP_DIR),
		logLevel: c.LOG_LEVEL,
		adminToken: c.ADMIN_TOKEN,
		tokenSecret: c.TOKEN_SECRET,
		publishCourses: c.PUBLISH_COURSES.split(',').map((p) => p.trim()).filter(Boolean).map((p) => resolve(p)),
		couchdbUrl: c.COUCHDB_URL,
		trustProxy: c.TRUST_PROXY === 'true'
	};
}
