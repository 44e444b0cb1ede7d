import { describe, expect, it, vi } from 'vitest';
import { parseProfile, updateProfile, type Profile } from '$lib/progress-model/profile';
import { JOURNAL_ID } from './sync-journal';
import { PouchDB } from './test-support/memory-pouch';
import { LEARNER_ID, rig } from './test-support/engine-rig';
import type { SyncStatus } from './sync-engine';

const states = (statuses: SyncStatus[]) => statuses.map((s) => s.state).filter((s, i, all) => s !== all[i - 1]);

/** Every document's revision count: 1 for each means nothing was written twice as a new revision. */
async function revisions(db: PouchDB<object>) {
	const { rows } = await db.allDocs();
	return rows.map((row) => row.value.rev.split('-')[0]);
}

describe('syncing a learner’s progress both ways', () => {
	it('pushes the phone’s events, pulls the server’s, and says it is up to date', async () => {
		const r = rig();
		await r.write(12);
		await r.server.db.put(r.writer.completed('from-other-phone'));
		await r.engine.start();
		await r.engine.idle();

		expect(await r.ids(r.server.db)).toEqual(await r.ids(r.local));
		expect((await r.server.db.info()).doc_count).toBe(13);
		expect(r.engine.status).toMatchObject({ state: 'up-to-date', changesWaiting: 0, lastSyncAt: new Date(r.clock.time).toISOString() });
		expect(states(r.statuses)).toEqual(['waiting', 'syncing', 'up-to-date']);
		// The bearer token on every request; the one large body (the events) gzipped.
		expect(r.server.seen.every((s) => s.authorization === 'Bearer token-1')).toBe(true);
		const bulk = r.server.seen.find((s) => s.path.endsWith('/_bulk_docs'));
		expect(bulk?.contentEncoding).toBe('gzip');
		// Checkpoints stay on the phone: the server is never asked for one.
		expect(r.server.seen.some((s) => s.path.includes('/_local/'))).toBe(false);
	});

	it('pulls once more after pushing a completion, so a certificate the server wrote on that push arrives in the same sync', async () => {
		const r = rig();
		await r.write(3);
		await r.local.put(r.writer.completed('last-lesson'));
		// The server writes a document while it stores the push, as the certificate issuer does.
		const certificate = { _id: 'certificate:procurement-essentials', type: 'certificate' };
		r.server.faultWhere = (s) => {
			if (s.path.endsWith('/_bulk_docs')) void r.server.db.put(certificate);
			return undefined;
		};
		await r.engine.start();
		await r.engine.idle();
		expect(await r.ids(r.local)).toContain(certificate._id);
		expect(r.engine.status).toMatchObject({ state: 'up-to-date', changesWaiting: 0 });
	});

	it('after pushing a completion that earned nothing, costs one look at the server and no second pull', async () => {
		const requests = async (completion: boolean) => {
			const r = rig();
			await r.write(3);
			if (completion) await r.local.put(r.writer.completed('last-lesson'));
			await r.engine.start();
			await r.engine.idle();
			return r.server.seen.map((s) => s.path.split('?')[0]!.split('/').pop());
		};
		const without = await requests(false);
		const withCompletion = await requests(true);
		expect(withCompletion.length).toBe(without.length + 1);
		expect(withCompletion.filter((p) => p === '_changes').length).toBe(without.filter((p) => p === '_changes').length + 1);
	});

	it('keeps the bytes each sync cost, by month', async () => {
		const r = rig();
		await r.write(30);
		await r.engine.start();
		await r.engine.idle();
		const journal = (await r.local.get(JOURNAL_ID)) as object as { months: Record<string, { sent: number; received: number; syncs: number }> };
		const month = journal.months['2026-03'];
		const sentOnWire = r.server.seen.reduce((sum, s) => sum + s.bodyBytes, 0);
		expect(month).toEqual({ sent: sentOnWire, received: expect.any(Number), syncs: 1 });
		expect(month!.received).toBeGreaterThan(0);
		// Gzip made the events smaller than their JSON.
		const events = (await r.local.allDocs({ include_docs: true })).rows.map((row) => row.doc);
		expect(month!.sent).toBeLessThan(JSON.stringify(events).length / 2);
	});

	it('loses and duplicates nothing when the answer to a push is lost and the sync is retried', async () => {
		const r = rig();
		await r.write(20);
		// The server stores the events, but the phone never hears back.
		r.server.faultWhere = (s) => (s.path.endsWith('/_bulk_docs') && !r.server.seen.slice(0, -1).some((x) => x.path.endsWith('/_bulk_docs')) ? { when: 'after', network: true } : undefined);
		await r.engine.start();
		await r.engine.idle();
		expect(r.engine.status.state).toBe('offline');
		expect(r.engine.status.changesWaiting).toBe(20);
		expect((await r.server.db.info()).doc_count).toBe(20);

		r.clock.advance(r.clock.nextIn()!);
		await r.engine.idle();
		expect(r.engine.status).toMatchObject({ state: 'up-to-date', changesWaiting: 0 });
		expect((await r.server.db.info()).doc_count).toBe(20);
		expect(await revisions(r.server.db)).toEqual(Array(20).fill('1'));
		expect(await r.ids(r.server.db)).toEqual(await r.ids(r.local));
	});

	it('loses and duplicates nothing when a pull is cut off and retried', async () => {
		const r = rig();
		for (let i = 0; i < 15; i++) await r.server.db.put(r.writer.completed(`l-${i}`));
		r.server.faults.set(1, { when: 'before', network: true });
		r.server.faultWhere = (s) => (s.path.endsWith('/_bulk_get') && r.server.seen.filter((x) => x.path.endsWith('/_bulk_get')).length === 1 ? { when: 'after', network: true } : undefined);
		await r.engine.start();
		await r.engine.idle();
		expect(r.engine.status.state).toBe('offline');

		r.clock.advance(r.clock.nextIn()!);
		await r.engine.idle();
		expect(r.engine.status.state).toBe('up-to-date');
		expect(await r.ids(r.local)).toEqual(await r.ids(r.server.db));
		expect(await revisions(r.local)).toEqual(Array(15).fill('1'));
		// What came down is not counted as waiting to go up.
		expect(r.engine.status.changesWaiting).toBe(0);
	});

	it('waits longer after each failure in a row (full jitter under 2 s, 4 s, 8 s …) and starts again after a success', async () => {
		const r = rig();
		await r.write(1);
		r.server.faultWhere = () => ({ when: 'before', status: 503, body: { error: 'service_unavailable', reason: 'busy' } });
		await r.engine.start();
		await r.engine.idle();
		const waits: number[] = [];
		for (let i = 0; i < 4; i++) {
			expect(r.engine.status).toMatchObject({ state: 'waiting', waitingFor: 'retry' });
			const wait = r.clock.nextIn()!;
			waits.push(wait);
			expect(r.engine.status.retryAt).toBe(new Date(r.clock.time + wait).toISOString());
			r.clock.advance(wait);
			await r.engine.idle();
		}
		// random() is 0.5 in the rig: half of each ceiling.
		expect(waits).toEqual([1000, 2000, 4000, 8000]);

		r.server.faultWhere = undefined;
		r.clock.advance(r.clock.nextIn()!);
		await r.engine.idle();
		expect(r.engine.status.state).toBe('up-to-date');
		// The next timer is the periodic sync, not a retry.
		expect(r.clock.nextIn()).toBe(5 * 60_000);
	});

	it('honours Retry-After when the server says to slow down', async () => {
		const r = rig();
		r.server.faultWhere = () => ({ when: 'before', status: 429, headers: { 'Retry-After': '120' }, body: { error: 'too_many_requests', reason: 'slow down' } });
		await r.engine.start();
		await r.engine.idle();
		expect(r.clock.nextIn()).toBe(120_000);
	});

	it.each([
		[400, 'refused'],
		[403, 'forbidden']
	] as const)('does not retry a refusal (%i): it shows it until the learner acts', async (status, problem) => {
		const r = rig();
		await r.write(2);
		r.server.faultWhere = () => ({ when: 'before', status, body: { error: status === 400 ? 'bad_request' : 'forbidden', reason: 'no' } });
		await r.engine.start();
		await r.engine.idle();
		expect(r.engine.status).toMatchObject({ state: 'error', problem, changesWaiting: 2 });
		expect(r.clock.nextIn()).toBeUndefined();
		// A new write does not retry it either; "Sync now" does.
		await r.write(1);
		await vi.waitFor(() => expect(r.engine.status.changesWaiting).toBe(3));
		expect(r.clock.nextIn()).toBeUndefined();
		r.server.faultWhere = undefined;
		await r.engine.syncNow();
		expect(r.engine.status.state).toBe('up-to-date');
	});

	it('sends smaller batches when the server finds one too large', async () => {
		const r = rig();
		await r.write(40);
		r.server.faultWhere = (s) => (s.path.endsWith('/_bulk_docs') && s.bodyBytes > 1500 ? { when: 'before', status: 413, body: { error: 'too_large', reason: 'big' } } : undefined);
		await r.engine.start();
		await r.engine.idle();
		expect(r.engine.status.state).toBe('up-to-date');
		expect((await r.server.db.info()).doc_count).toBe(40);
	});

	it('refreshes an expired access token once, for requests running in parallel, and sends them again', async () => {
		const r = rig();
		await r.write(5);
		await r.server.db.put(r.writer.completed('x'));
		r.server.validTokens.clear();
		await r.engine.start();
		await r.engine.idle();
		expect(r.engine.status.state).toBe('up-to-date');
		expect(r.refreshes).toBe(1);
		expect(r.saved.at(-1)).toMatchObject({ accessToken: 'token-2', refreshToken: 'refresh-1' });
		expect((await r.server.db.info()).doc_count).toBe(6);
		expect((await r.local.info()).doc_count).toBe(6);
	});

	it('refreshes before sending when the phone’s clock says the token has run out', async () => {
		const r = rig({ account: { accessExpiresAt: '2026-03-10T08:59:00.000Z' } });
		r.server.validTokens.clear();
		await r.engine.start();
		await r.engine.idle();
		expect(r.engine.status.state).toBe('up-to-date');
		expect(r.server.seen.every((s) => s.authorization === 'Bearer token-2')).toBe(true);
	});

	it('asks the learner to sign in again when the server refuses the refresh, and keeps everything on the phone', async () => {
		const r = rig();
		await r.write(4);
		r.server.validTokens.clear();
		r.refuseRefresh();
		await r.engine.start();
		await r.engine.idle();
		expect(r.engine.status).toMatchObject({ state: 'sign-in-needed', changesWaiting: 4 });
		expect(r.saved.at(-1)).toMatchObject({ signInNeeded: true });
		expect((await r.local.info()).doc_count).toBe(4);
		expect(r.clock.nextIn()).toBeUndefined();
		// Nothing more is sent until the learner signs in.
		const requests = r.server.seen.length;
		await r.engine.syncNow();
		expect(r.engine.status.state).toBe('sign-in-needed');
		expect(r.server.seen.length).toBe(requests);
	});
});

describe('when the engine syncs', () => {
	it('syncs soon after the learner writes: after a quiet moment, and not later than a minute after the first write', async () => {
		const r = rig();
		await r.engine.start();
		await r.engine.idle();
		await r.write(1);
		await vi.waitFor(() => expect(r.engine.status).toMatchObject({ state: 'waiting', changesWaiting: 1 }));
		expect(r.clock.nextIn()).toBe(15_000);
		// Writes keep coming every 10 s: the sync still happens one minute after the first.
		for (let i = 0; i < 6; i++) {
			r.clock.advance(10_000);
			await r.engine.idle();
			if (r.engine.status.state === 'up-to-date') break;
			await r.write(1);
			await vi.waitFor(() => expect(r.engine.status.changesWaiting).toBe(i + 2));
		}
		expect(r.clock.time - Date.parse('2026-03-10T09:00:00.000Z')).toBe(60_000);
		expect(r.engine.status).toMatchObject({ state: 'up-to-date', changesWaiting: 0 });
		expect((await r.server.db.info()).doc_count).toBe(6);
	});

	it('syncs every five minutes while online', async () => {
		const r = rig();
		await r.engine.start();
		await r.engine.idle();
		await r.server.db.put(r.writer.completed('from-coordinator'));
		r.clock.advance(5 * 60_000);
		await r.engine.idle();
		expect((await r.local.info()).doc_count).toBe(1);
	});

	it('says offline when the phone is, and syncs as soon as it is back online', async () => {
		const r = rig();
		await r.write(3);
		r.network.set({ online: false });
		await r.engine.start();
		await r.engine.idle();
		expect(r.engine.status).toMatchObject({ state: 'offline', changesWaiting: 3 });
		expect(r.server.seen).toEqual([]);
		r.network.set({ online: true });
		await r.engine.idle();
		expect(r.engine.status.state).toBe('up-to-date');
	});

	it('waits for Wi-Fi on mobile data when the learner chose Wi-Fi only; "Sync now" syncs anyway', async () => {
		let wifiOnly = true;
		const r = rig({ engine: { wifiOnly: () => wifiOnly } });
		await r.write(2);
		r.network.set({ cellular: true });
		await r.engine.start();
		await r.engine.idle();
		expect(r.engine.status).toMatchObject({ state: 'waiting', waitingFor: 'wifi', changesWaiting: 2 });
		expect(r.server.seen).toEqual([]);
		await r.engine.syncNow();
		expect(r.engine.status.state).toBe('up-to-date');

		await r.write(1);
		await vi.waitFor(() => expect(r.engine.status.changesWaiting).toBe(1));
		r.clock.advance(15_000);
		await r.engine.idle();
		expect(r.engine.status).toMatchObject({ state: 'waiting', waitingFor: 'wifi' });
		r.network.set({ cellular: false });
		await r.engine.idle();
		expect(r.engine.status.state).toBe('up-to-date');
		wifiOnly = false;
	});

	it('never runs two syncs of a learner at once: a request during a sync is served by one more after it', async () => {
		let running = 0;
		let most = 0;
		const r = rig({
			engine: {
				exclusive: async (run) => {
					running++;
					most = Math.max(most, running);
					try {
						return await run();
					} finally {
						running--;
					}
				}
			}
		});
		await r.write(3);
		await r.engine.start();
		const first = r.engine.syncNow();
		await r.write(2);
		await Promise.all([first, r.engine.syncNow(), r.engine.syncNow()]);
		await r.engine.idle();
		expect(most).toBe(1);
		expect((await r.server.db.info()).doc_count).toBe(5);
		expect(r.engine.status.state).toBe('up-to-date');
	});

	it('stops when told: no timer, no sync', async () => {
		const r = rig();
		await r.engine.start();
		await r.engine.idle();
		r.engine.stop();
		expect(r.clock.nextIn()).toBeUndefined();
		await r.write(1);
		await r.engine.syncNow();
		expect((await r.server.db.info()).doc_count).toBe(0);
	});
});

describe('the profile after a pull', () => {
	it('merges a profile changed on two phones, tells the phone, and sends the merge back', async () => {
		const seen: Profile[] = [];
		const r = rig({ engine: { onProfile: async (profile) => void seen.push(profile) } });
		const original = r.profile('Asha', '2026-03-01T09:00:00.000Z');
		await r.local.put(original);
		await r.engine.start();
		await r.engine.idle();

		// The phone renames her; another phone changes her district; neither has seen the other.
		const onPhone = parseProfile(await r.local.get('profile'));
		const onServer = parseProfile(await r.server.db.get('profile'));
		if (!onPhone.ok || !onServer.ok) throw new Error('no profile');
		await r.local.put(updateProfile(onPhone.value, { name: 'Asha Devi' }, () => new Date('2026-03-10T10:00:00.000Z')));
		await r.server.db.put(updateProfile(onServer.value, { district: 'Lucknow' }, () => new Date('2026-03-10T11:00:00.000Z')));

		await r.engine.syncNow();
		expect(seen.at(-1)).toMatchObject({ name: 'Asha Devi', district: 'Lucknow' });
		const local = await r.local.get('profile', { conflicts: true });
		expect(local).toMatchObject({ name: 'Asha Devi', district: 'Lucknow' });
		expect(local._conflicts ?? []).toEqual([]);

		// The merged profile is a local change: it goes up, and the server converges to it.
		await vi.waitFor(() => expect(r.engine.status.changesWaiting).toBe(1));
		await r.engine.syncNow();
		const server = await r.server.db.get('profile', { conflicts: true });
		expect(server).toMatchObject({ name: 'Asha Devi', district: 'Lucknow' });
		expect(server._conflicts ?? []).toEqual([]);
		expect(r.engine.status).toMatchObject({ state: 'up-to-date', changesWaiting: 0 });
	});
});

it('uses the learner id the rig writes events for', () => {
	expect(rig().writer.opened('x').learnerId).toBe(LEARNER_ID);
});
