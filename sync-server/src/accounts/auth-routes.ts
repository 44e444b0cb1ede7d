/**
 * The account routes (docs/api.md "Accounts"): `POST /api/auth/register`, `/login`, `/refresh`
 * and `/logout`. Thin: bodies are checked here, the work is `Accounts`'.
 *
 * Guessing is slowed by rate limits (`@fastify/rate-limit`, counted in this process's memory):
 * login 10 a minute per address and username (registrations count too), and 50 per address
 * whatever the username; registration and token calls per address. Phones share addresses (carrier NAT, a district
 * office's hotspot), so the per-address limits are set well above what one classroom needs.
 * Behind a load balancer: set Fastify's `trustProxy` so `request.ip` is the phone's address, and
 * know that each server counts on its own (N servers allow N times the rate) unless the plugin
 * is given a shared store (its `redis` option).
 */
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccountError } from './account-errors.js';
import type { Accounts } from './accounts.js';
import { credentialsSchema, parseBody, refreshTokenBodySchema, registrationSchema, usernameKey } from './credentials.js';

export interface AuthLimits {
	/** Login attempts per address and username. */
	loginPerUsername: number;
	/** Login attempts per address, any username: stops one address spraying many usernames. */
	loginPerAddress: number;
	registerPerAddress: number;
	/** Refresh and logout calls per address (cheap, and every phone refreshes every 15 minutes). */
	tokenPerAddress: number;
	windowMs: number;
}

export const AUTH_LIMITS: AuthLimits = {
	loginPerUsername: 10,
	loginPerAddress: 50,
	registerPerAddress: 30,
	tokenPerAddress: 300,
	windowMs: 60_000
};

export interface AuthRouteOptions {
	accounts: Accounts;
	limits?: Partial<AuthLimits>;
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

function usernameOf(body: unknown): string {
	const username = (body as { username?: unknown } | null)?.username;
	// Bounded, so a long username cannot make a long key.
	return typeof username === 'string' ? usernameKey(username.slice(0, 100)) : '';
}

export async function authRoutes(app: FastifyInstance, { accounts, limits }: AuthRouteOptions): Promise<void> {
	const limit = { ...AUTH_LIMITS, ...limits };
	// Encapsulated in this plugin, and with no global limit: only the routes below are counted.
	await app.register(rateLimit, { global: false });

	const address = (request: FastifyRequest) => normalizeIP(request.ip);
	const limiter = (name: string, max: number, key: (request: FastifyRequest) => string): Limiter =>
		app.createRateLimit({ max, timeWindow: limit.windowMs, keyGenerator: (request) => `${name}|${key(request)}` });

	const loginPerUsername = limiter('login', limit.loginPerUsername, (request) => `${address(request)}|${usernameOf(request.body)}`);
	const loginPerAddress = limiter('login-any', limit.loginPerAddress, address);
	const registerPerAddress = limiter('register', limit.registerPerAddress, address);
	const tokenPerAddress = limiter('token', limit.tokenPerAddress, address);

	// A preHandler, after the body is parsed: the login limit is keyed by the username in it.
	// Every check counts the request, so a refused one still uses up the window.
	const limitedBy =
		(...limiters: Limiter[]) =>
		async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
			let waitSeconds = 0;
			for (const check of limiters) {
				const outcome = await check(request);
				if (!outcome.isAllowed && outcome.isExceeded) waitSeconds = Math.max(waitSeconds, outcome.ttlInSeconds);
			}
			if (waitSeconds > 0) {
				reply.header('retry-after', String(waitSeconds));
				throw new AccountError(429, `Too many attempts: try again in ${waitSeconds} seconds`);
			}
		};

	// Tokens must not be kept by a browser cache or a proxy.
	app.addHook('onSend', async (_request, reply) => {
		reply.header('cache-control', 'no-store');
	});

	// Registration shares login's count per username: a repeated registration signs in (accounts.ts), so it must not guess faster.
	app.post('/api/auth/register', { preHandler: limitedBy(registerPerAddress, loginPerUsername) }, async (request, reply) => {
		const session = await accounts.register(parseBody(registrationSchema, request.body));
		return reply.code(201).send(session);
	});

	app.post('/api/auth/login', { preHandler: limitedBy(loginPerUsername, loginPerAddress) }, async (request) => {
		return accounts.login(parseBody(credentialsSchema, request.body));
	});

	app.post('/api/auth/refresh', { preHandler: limitedBy(tokenPerAddress) }, async (request) => {
		return accounts.refresh(parseBody(refreshTokenBodySchema, request.body).refreshToken);
	});

	app.post('/api/auth/logout', { preHandler: limitedBy(tokenPerAddress) }, async (request, reply) => {
		await accounts.logout(parseBody(refreshTokenBodySchema, request.body).refreshToken);
		return reply.code(204).send();
	});
}
