/**
 * The current learner's sync, for every screen: the status in view, "Sync now", the Wi-Fi only
 * setting, and the account actions (back up, sign in on this phone, sign in again, sign out).
 * The layout calls `follow(learners.current)`; a learner with an account gets a running sync
 * engine, one without is `local-only`.
 *
 * This module is imported by the first screen, so it holds no sync code itself: the engine,
 * PouchDB and the account API load (start-sync.ts) only for a learner who has an account, or when
 * the learner asks for one.
 */
import type { LearnerOnPhone } from '$lib/profiles/device-profiles';
import { learners as phoneLearners, type Learners } from '$lib/profiles/learners.svelte';
import type { AccountProblem, AccountSession } from './account-api';
import type { LearnerAccount } from './session';
import type { SyncEngine, SyncStatus } from './sync-engine';
import type { MonthUse } from './sync-journal';

const WIFI_ONLY_KEY = 'sikho:sync-wifi-only';
const LOCAL_ONLY: SyncStatus = { state: 'local-only', changesWaiting: 0 };

/** Why an account action failed, for a message: the server's answer, or one of the phone's own. */
export type AccountFailure = AccountProblem | 'other-learner' | 'not-downloaded';

export class AccountActionError extends Error {
	override name = 'AccountActionError';
	constructor(readonly failure: AccountFailure) {
		super(`account action failed: ${failure}`);
	}
}

const accountFrom = (username: string, session: AccountSession): LearnerAccount => ({
	username,
	db: session.db,
	refreshToken: session.refreshToken,
	accessToken: session.accessToken,
	accessExpiresAt: session.accessExpiresAt
});

export class LearnerSync {
	status = $state.raw<SyncStatus>(LOCAL_ONLY);
	thisMonth = $state.raw<MonthUse | undefined>();
	wifiOnly = $state(false);

	private engine: SyncEngine | undefined;
	private stopStatus: (() => void) | undefined;
	private following = '';
	private generation = 0;

	constructor(private readonly learners: Learners = phoneLearners) {}

	/** Follows the current learner: their engine runs while they are current and have an account. */
	async follow(learner: LearnerOnPhone | undefined): Promise<void> {
		this.wifiOnly = localStorage.getItem(WIFI_ONLY_KEY) === 'yes';
		// A refreshed access token changes the record but not who syncs: only a new sign-in restarts.
		const key = learner ? `${learner.id} ${learner.account?.refreshToken ?? ''}` : '';
		if (key === this.following) return;
		this.following = key;
		const generation = ++this.generation;
		this.stop();
		if (!learner?.account) {
			this.status = LOCAL_ONLY;
			return;
		}
		const id = learner.id;
		const { syncEngineFor } = await import('./start-sync');
		const engine = await syncEngineFor({
			learnerId: id,
			account: learner.account,
			saveAccount: (account) => this.learners.setAccount(id, account),
			onProfile: (profile) => this.learners.followProfile(id, profile),
			wifiOnly: () => this.wifiOnly
		});
		if (generation !== this.generation) return;
		this.engine = engine;
		this.stopStatus = engine.subscribe((status) => {
			this.status = status;
			if (status.state !== 'syncing') void this.readDataUse(engine);
		});
		await engine.start();
	}

	syncNow(): Promise<void> {
		return this.engine?.syncNow() ?? Promise.resolve();
	}

	setWifiOnly(on: boolean): void {
		this.wifiOnly = on;
		localStorage.setItem(WIFI_ONLY_KEY, on ? 'yes' : 'no');
	}

	/** "Back up my progress": an account for a learner who so far lives only on this phone. */
	async backUp(learner: LearnerOnPhone, username: string, password: string): Promise<void> {
		const { accountApi, origin } = await import('./start-sync');
		const session = await this.ask(() =>
			accountApi({ baseUrl: origin() }).register({
				username,
				password,
				name: learner.name,
				district: learner.district,
				learnerId: learner.id,
				language: learner.language
			})
		);
		// The events on the phone carry this id: an account under another would refuse them all.
		if (session.learnerId !== learner.id) throw new AccountActionError('server');
		await this.learners.setAccount(learner.id, accountFrom(username, session));
	}

	/** The learner's sign-in ran out: the same account again (never another learner's). */
	async signInAgain(learner: LearnerOnPhone, password: string): Promise<void> {
		if (!learner.account) throw new AccountActionError('bad_request');
		const { accountApi, origin } = await import('./start-sync');
		const session = await this.ask(() => accountApi({ baseUrl: origin() }).login(learner.account!.username, password));
		if (session.learnerId !== learner.id) throw new AccountActionError('other-learner');
		await this.learners.setAccount(learner.id, accountFrom(learner.account.username, session));
	}

	/**
	 * "Sign in on this phone": the learner's progress comes down first, then they are listed and
	 * made current, so a profile on the list always has its data behind it. A learner already on
	 * this phone just gets their account back.
	 */
	async signIn(username: string, password: string, language: string): Promise<void> {
		const { accountApi, origin, syncEngineFor, profileOnPhone } = await import('./start-sync');
		const session = await this.ask(() => accountApi({ baseUrl: origin() }).login(username, password));
		const now = new Date().toISOString();
		let account = accountFrom(username, session);
		const known = this.learners.list.find((l) => l.id === session.learnerId);
		if (known) {
			// The password is a stronger proof than the profile's PIN: it opens the profile.
			await this.learners.addSignedIn({ ...known, account, lastUsedAt: now });
			return;
		}
		const engine = await syncEngineFor({
			learnerId: session.learnerId,
			account,
			saveAccount: async (saved) => void (account = saved),
			// The learner asked for this download: it goes on mobile data too.
			wifiOnly: () => false
		});
		await engine.start();
		await engine.idle();
		engine.stop();
		const { destroyLearnerDb } = await import('$lib/progress/learner-db');
		if (engine.status.state !== 'up-to-date') {
			await destroyLearnerDb(session.learnerId);
			throw new AccountActionError('not-downloaded');
		}
		const profile = await profileOnPhone(session.learnerId);
		const learner: LearnerOnPhone = {
			id: session.learnerId,
			name: profile?.name ?? session.name,
			district: profile?.district ?? session.district,
			language: profile?.language ?? language,
			...(profile?.pin ? { pin: profile.pin } : {}),
			createdAt: profile?.createdAt ?? now,
			lastUsedAt: now,
			account
		};
		// An account whose phone never synced has no profile on the server yet: this phone writes it.
		if (!profile) await (await import('$lib/progress/learner-progress')).writeProfile(learner);
		await this.learners.addSignedIn(learner);
	}

	/** Signs out: syncing stops and the tokens are forgotten; everything on the phone stays. */
	async signOut(learner: LearnerOnPhone): Promise<void> {
		const refreshToken = learner.account?.refreshToken;
		if (this.following.startsWith(learner.id)) this.stop();
		if (refreshToken) {
			const { accountApi, origin } = await import('./start-sync');
			// Best effort: offline, the server's token simply runs out (90 days unused) instead.
			await accountApi({ baseUrl: origin() })
				.logout(refreshToken)
				.catch(() => undefined);
		}
		await this.learners.setAccount(learner.id, undefined);
	}

	private stop(): void {
		this.stopStatus?.();
		this.stopStatus = undefined;
		this.engine?.stop();
		this.engine = undefined;
		this.thisMonth = undefined;
	}

	private async readDataUse(engine: SyncEngine): Promise<void> {
		const use = await engine.thisMonth();
		if (this.engine === engine) this.thisMonth = use;
	}

	/** An account call, its failure named for the learner. */
	private async ask<T>(call: () => Promise<T>): Promise<T> {
		const { AccountError } = await import('./account-api');
		try {
			return await call();
		} catch (error) {
			if (error instanceof AccountError) throw new AccountActionError(error.problem);
			throw error;
		}
	}
}

/** The current learner's sync, for every screen. */
export const sync = new LearnerSync();
