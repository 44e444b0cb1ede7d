/**
 * The assembled server (buildServer, embedded store on LevelDB on disk) as a phone meets it:
 * register from an offline profile, push, log in on a second phone and pull the same progress,
 * and never reach another learner's database. Stock PouchDB 9 on the phones; only a `fetch` that
 * adds the bearer token.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import memoryAdapter from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newProfile } from '../../src/lib/progress-model/profile.js';
import { scribe } from '../../src/lib/progress-model/test-support/history.js';
import { makeFixture } from '../test-support/app-fixture.js';
import { loadConfig } from './config.js';
import { buildServer } from './server.js';

const Phone = PouchDB.plugin(httpAdapter).plugin(memoryAdapter).plugin(replication);
type PhoneDb = InstanceType<typeof Phone> & {
	replicate: { to(target: unknown): Promise<{ docs_written: number }>; from(source: unknown): Promise<{ docs_written: number }> };
};

interface Session {
	learnerId: string;
	db: string;
	accessToken: string;
	refreshToken: string;
}

let app: FastifyInstance;
let base: string;

beforeAll(async () => {
	const fixture = await makeFixture();
	app = await buildServer(loadConfig({ APP_DIR: fixture.appDir, DATA_DIR: fixture.dataDir, LOG_LEVEL: 'silent' }));
	await app.listen({ port: 0, host: '127.0.0.1' });
	base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}, 30_000);

afterAll(async () => {
	await app?.close();
});

async function post(path: string, body: unknown): Promise<Response> {
	return fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

const phone = () => new Phone(`phone-${randomUUID()}`, { adapter: 'memory' }) as PhoneDb;
// The shared PouchDB typings (src/pouchdb.d.ts) name only the options the app used so far.
const RemotePhone = Phone as unknown as new (url: string, options: { skip_setup: boolean; fetch: typeof fetch }) => PhoneDb;
const remote = (session: Session) =>
	new RemotePhone(`${base}/sync/${session.db}`, {
		skip_setup: true,
		fetch: (url: string | URL | Request, init: RequestInit = {}) => {
			const headers = new Headers(init.headers);
			headers.set('authorization', `Bearer ${session.accessToken}`);
			return fetch(url, { ...init, headers });
		}
	});

/** A learner who studied offline: a profile and a few events on their phone, under the phone's own id. */
async function offlineLearner(name: string) {
	const learnerId = randomUUID();
	const db = phone();
	const profile = newProfile({ name, district: 'Sitapur', language: 'hi' }, () => new Date('2026-11-01T08:00:00.000Z'));
	const write = scribe({ learnerId, seed: Math.floor(Math.random() * 1e9) });
	const events = [write.opened('principles'), write.completed('principles', 'read-to-end'), write.spent('principles', 120)];
	await db.bulkDocs([profile, ...events]);
	return { learnerId, db, eventIds: events.map((e) => e._id).sort() };
}

describe('a learner on the assembled server', () => {
	it('registers from an offline profile, pushes, and sees it all on a second phone after logging in', async () => {
		const asha = await offlineLearner('Asha Devi');
		const answer = await post('/api/auth/register', { username: `asha-${asha.learnerId.slice(0, 8)}`, password: 'correct horse battery', name: 'Asha Devi', district: 'Sitapur', learnerId: asha.learnerId });
		expect(answer.status).toBe(201);
		const session = (await answer.json()) as Session;
		expect(session).toMatchObject({ learnerId: asha.learnerId, db: `learner-${asha.learnerId}` });

		expect((await asha.db.replicate.to(remote(session))).docs_written).toBe(4);
		// Again: nothing new to send, nothing written twice.
		expect((await asha.db.replicate.to(remote(session))).docs_written).toBe(0);

		const login = await post('/api/auth/login', { username: `ASHA-${asha.learnerId.slice(0, 8)}`, password: 'correct horse battery' });
		expect(login.status).toBe(200);
		const second = (await login.json()) as Session;
		expect(second.learnerId).toBe(asha.learnerId);
		const newPhone = phone();
		await newPhone.replicate.from(remote(second));
		const { rows } = await newPhone.allDocs({ startkey: 'event:', endkey: 'event:\ufff0' });
		expect(rows.map((row) => row.id)).toEqual(asha.eventIds);
		expect(await newPhone.get('profile')).toMatchObject({ name: 'Asha Devi', district: 'Sitapur' });
	}, 30_000);

	it("never lets one learner's token reach another learner's database", async () => {
		const [a, b] = await Promise.all([offlineLearner('Asha'), offlineLearner('Bilal')]);
		const sessions: Session[] = [];
		for (const learner of [a, b]) {
			const answer = await post('/api/auth/register', { username: `l-${learner.learnerId.slice(0, 12)}`, password: 'long enough password', name: 'Someone', district: 'Sitapur', learnerId: learner.learnerId });
			sessions.push((await answer.json()) as Session);
		}
		const [sa, sb] = sessions as [Session, Session];
		await b.db.replicate.to(remote(sb));
		const intruder = remote({ ...sb, accessToken: sa.accessToken });
		await expect(intruder.allDocs()).rejects.toMatchObject({ status: 403 });
		await expect(a.db.replicate.to(intruder)).rejects.toMatchObject({ status: 403 });
		const own = await fetch(`${base}/sync/${sb.db}/_all_docs`, { headers: { authorization: `Bearer ${sb.accessToken}` } });
		expect(((await own.json()) as { rows: unknown[] }).rows).toHaveLength(4);
	}, 30_000);
});
