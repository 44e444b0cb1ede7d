/**
 * Assembles the sync-server: security headers, compression, health, courses, accounts,
 * replication, and the app itself.
 * Routes are registered here and know nothing of the store behind them: the store is made from
 * the configuration once, reached as `app.store`, and closed when the app closes.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import compress from '@fastify/compress';
import { maskUrl, type Config } from './config.js';
import { createStore } from './store/create-store.js';
import type { Store } from './store/store.js';
import { installErrorHandlers } from './http/errors.js';
import { COMPRESSION } from './http/compression.js';
import { healthRoute } from './health/health-route.js';
import { appFiles, readBuiltApp } from './web/app-files.js';
import { shareTargetWithoutWorker } from './web/share-target.js';
import { appDirectives, appPolicyOnPages, serializeDirectives } from './web/content-security-policy.js';
import { CourseLibrary } from './courses/course-library.js';
import { courseRoutes } from './courses/course-routes.js';
import { publishOnStart } from './courses/publish-on-start.js';
import { Accounts } from './accounts/accounts.js';
import { authRoutes, type AuthLimits } from './accounts/auth-routes.js';
import type { ScryptCost } from './accounts/password.js';
import { tokenSecret } from './accounts/token-secret.js';
import { syncRoutes } from './sync/sync-routes.js';
import { certificateHook } from './certificates/issue-certificates.js';
import { libraryQuizzes } from './certificates/course-quizzes.js';
import { verifyRoutes } from './certificates/verify-routes.js';

/** Largest request body accepted; larger gets 413 before any of it is parsed. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

declare module 'fastify' {
	interface FastifyInstance {
		/** Where learners' data lives (embedded or CouchDB); routes and services take it from here. */
		readonly store: Store;
	}
}

export interface ServerParts {
	/** A store made elsewhere (tests, benchmarks); its maker closes it. Default: from the configuration, closed with the app. */
	store?: Store;
	/** Cheaper password hashing for benchmarks that register thousands of learners; production keeps the default. */
	passwordCost?: ScryptCost;
	/** Looser rate limits for those benchmarks (one address registers them all). */
	authLimits?: Partial<AuthLimits>;
	/** The clock access tokens are issued and checked by (default: the system's); fault tests move it on to expire them. */
	clock?: () => Date;
}

export async function buildServer(config: Config, parts: ServerParts = {}): Promise<FastifyInstance> {
	const builtApp = await readBuiltApp(config.appDir);

	const app = Fastify({
		logger: { level: config.logLevel },
		bodyLimit: BODY_LIMIT_BYTES,
		// A long-poll or a half-open phone connection must not hold a shutdown open.
		forceCloseConnections: true,
		return503OnClosing: true,
		// Behind a load balancer, rate limits must count the phone's address, not the balancer's.
		trustProxy: config.trustProxy
	});

	installErrorHandlers(app);

	await app.register(helmet, {
		// Set below, on everything but JSON answers: helmet would put it on every answer.
		contentSecurityPolicy: false,
		// The PWA fetches its own icons and media; nothing is embedded cross-origin.
		crossOriginEmbedderPolicy: false
	});
	app.addHook('onSend', appPolicyOnPages(serializeDirectives(appDirectives(builtApp))));
	// Static files are sent pre-compressed; this covers API answers (JSON, replication batches).
	await app.register(compress, { global: true, ...COMPRESSION });

	const library = await CourseLibrary.open(config.dataDir);
	await publishOnStart(library, config.publishCourses, config.dataDir, app.log);

	const store = parts.store ?? (await createStore(config));
	app.decorate('store', store);
	if (!parts.store) app.addHook('onClose', () => store.close());
	app.log.info({ store: store.kind, ...(config.couchdbUrl ? { couchdb: maskUrl(config.couchdbUrl) } : {}) }, 'learner data store');

	await app.register(healthRoute, { appDir: config.appDir, dataDir: config.dataDir, store });
	await app.register(courseRoutes, { library, adminToken: config.adminToken });

	const secret = await tokenSecret(config);
	const accounts = await Accounts.open({ store, secret, passwordCost: parts.passwordCost, now: parts.clock });
	await app.register(authRoutes, { accounts, limits: parts.authLimits });
	// Awaited before `_bulk_docs` answers, so a certificate earned by this push is there for this sync's pull.
	const onDocsStored = certificateHook({ store, courses: libraryQuizzes(library), secret, log: app.log });
	await app.register(syncRoutes, { store, authenticate: accounts.authenticate, onDocsStored });
	await app.register(verifyRoutes, { store });
	app.addHook('onRequest', shareTargetWithoutWorker);
	await app.register(appFiles, { appDir: config.appDir });

	return app;
}
