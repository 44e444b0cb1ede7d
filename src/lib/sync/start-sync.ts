/**
 * Builds the sync engine of one learner in the browser: their PouchDB on the phone, their
 * database at `/sync/<db>` on this app's own origin, the browser's network and a Web Lock.
 * Loaded by dynamic import (sync.svelte.ts), so PouchDB's code is fetched only for a learner who
 * has an account.
 */
import PouchDB from '$lib/progress/pouch';
import { learnerDb } from '$lib/progress/learner-db';
import type { Profile } from '$lib/progress-model/profile';
import { accountApi } from './account-api';
import { browserNetwork, webLock } from './browser-network';
import { TokenSession, type LearnerAccount } from './session';
import { SyncEngine } from './sync-engine';
import { resolveProfileConflicts } from './profile-conflicts';

export interface SyncWiring {
	learnerId: string;
	account: LearnerAccount;
	saveAccount: (account: LearnerAccount) => Promise<void>;
	onProfile?: (profile: Profile) => Promise<void>;
	wifiOnly: () => boolean;
}

export const origin = () => location.origin;

export async function syncEngineFor(wiring: SyncWiring): Promise<SyncEngine> {
	const local = await learnerDb(wiring.learnerId);
	const api = accountApi({ baseUrl: origin() });
	const tokens = new TokenSession({ account: wiring.account, api, save: wiring.saveAccount });
	const url = `${origin()}/sync/${encodeURIComponent(wiring.account.db)}`;
	return new SyncEngine({
		local,
		// skip_setup: the server made the database at registration; PouchDB would otherwise GET (and try to PUT) it first.
		openRemote: (fetch) => new PouchDB(url, { fetch, skip_setup: true }),
		replicate: (source, target, options) => PouchDB.replicate(source, target, options),
		tokens,
		network: browserNetwork(),
		wifiOnly: wiring.wifiOnly,
		onProfile: wiring.onProfile,
		exclusive: webLock(`sikho-sync-${wiring.learnerId}`)
	});
}

/** The profile in a learner's database on this phone, conflicts merged; undefined when there is none. */
export async function profileOnPhone(learnerId: string): Promise<Profile | undefined> {
	return resolveProfileConflicts(await learnerDb(learnerId));
}

export { accountApi };
