/**
 * Who is learning on this phone. Several people may share one phone: each has a profile, and
 * only the current learner's progress is ever opened. Works with no network at all.
 *
 * The current learner's id is kept in localStorage so the first screen knows it without opening
 * a database; the list itself (and PIN locks) live in IndexedDB (device-profiles.ts).
 */
import { chooseLocale } from '$lib/i18n/locale.svelte';
import { isLocale } from '$lib/paraglide/runtime';
import type { DeviceProfilesDb, LearnerOnPhone } from './device-profiles';
import type { LearnerAccount } from '$lib/sync/session';
import { lockWithPin, pinOpens, readPin, type PinLock } from './pin';

const CURRENT_KEY = 'sikho:current-learner';

export interface NewLearner {
	name: string;
	district: string;
	language: string;
	/** As typed; empty for no PIN. */
	pin: string;
}

/** What is wrong with a new learner's form, by field; callers show translated messages. */
export type NewLearnerProblem = 'name-missing' | 'name-too-long' | 'district-missing' | 'district-too-long' | 'pin-invalid';

export function checkNewLearner(input: NewLearner): NewLearnerProblem[] {
	const problems: NewLearnerProblem[] = [];
	const name = input.name.trim();
	const district = input.district.trim();
	if (!name) problems.push('name-missing');
	else if (name.length > 100) problems.push('name-too-long');
	if (!district) problems.push('district-missing');
	else if (district.length > 100) problems.push('district-too-long');
	if (input.pin.trim() && !readPin(input.pin)) problems.push('pin-invalid');
	return problems;
}

/** Called when a learner is created, to write the profile into the learner's own database. */
export type ProfileWriter = (learner: LearnerOnPhone) => Promise<void>;

/** What changed in a learner's profile, for their own database; `pin: null` removes the PIN. */
export interface LearnerChanges {
	name: string;
	district: string;
	language: string;
	pin?: PinLock | null;
}

export interface LearnersOptions {
	db?: () => DeviceProfilesDb;
	storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
	now?: () => Date;
	useLanguage?: (language: string) => void;
}

export class Learners {
	// Raw: learners are replaced whole, never edited in place, and must stay plain objects to be stored.
	list = $state.raw<LearnerOnPhone[]>([]);
	current = $state.raw<LearnerOnPhone | undefined>();
	loaded = $state(false);

	constructor(private readonly options: LearnersOptions = {}) {}

	// The database code (Dexie) loads on first use: every screen imports this module, the first included.
	private db = async () => this.options.db?.() ?? (await import('./device-profiles')).deviceProfiles();
	private now = () => this.options.now?.() ?? new Date();
	// Read when used, not when built: the shared instance is created before any browser API is needed.
	private get storage() {
		return this.options.storage ?? localStorage;
	}
	// A learner's own language comes with them when they take the phone.
	private useLanguage(language: string) {
		if (this.options.useLanguage) this.options.useLanguage(language);
		else if (isLocale(language)) chooseLocale(language);
	}

	async load(): Promise<void> {
		this.list = await (await this.db()).learners.orderBy('lastUsedAt').reverse().toArray();
		const id = this.storage.getItem(CURRENT_KEY);
		this.current = this.list.find((learner) => learner.id === id);
		this.loaded = true;
	}

	async create(input: NewLearner, writeProfile: ProfileWriter): Promise<LearnerOnPhone> {
		const problems = checkNewLearner(input);
		if (problems.length > 0) throw new Error(`invalid learner: ${problems.join(', ')}`);
		const at = this.now().toISOString();
		const pin = readPin(input.pin);
		const learner: LearnerOnPhone = {
			id: crypto.randomUUID(),
			name: input.name.trim(),
			district: input.district.trim(),
			language: input.language,
			...(pin ? { pin: await lockWithPin(pin) } : {}),
			createdAt: at,
			lastUsedAt: at
		};
		// The learner's own database first: a profile listed here always has its data behind it.
		await writeProfile(learner);
		await (await this.db()).learners.put(learner);
		await this.load();
		this.becomeCurrent(learner);
		return learner;
	}

	/** Whether a typed PIN opens a learner (true for a learner without one). */
	async pinOpens(id: string, typedPin: string): Promise<boolean> {
		const learner = this.list.find((l) => l.id === id);
		if (!learner) return false;
		if (!learner.pin) return true;
		const pin = readPin(typedPin);
		return pin !== undefined && (await pinOpens(pin, learner.pin));
	}

	/** Makes a learner current; one with a PIN needs it. */
	async switchTo(id: string, typedPin = ''): Promise<'ok' | 'wrong-pin' | 'unknown'> {
		const learner = this.list.find((l) => l.id === id);
		if (!learner) return 'unknown';
		if (!(await this.pinOpens(id, typedPin))) return 'wrong-pin';
		const used = { ...learner, lastUsedAt: this.now().toISOString() };
		await (await this.db()).learners.put(used);
		this.becomeCurrent(used);
		this.list = [used, ...this.list.filter((l) => l.id !== id)];
		return 'ok';
	}

	/**
	 * Changes the current learner's details. An empty PIN field keeps the PIN they have; `removePin`
	 * takes it away. Their own database is written first, then this phone's list.
	 */
	async update(input: NewLearner, removePin: boolean, saveChanges: (learnerId: string, changes: LearnerChanges) => Promise<void>): Promise<void> {
		const learner = this.current;
		if (!learner) throw new Error('no learner is current');
		const problems = checkNewLearner(input);
		if (problems.length > 0) throw new Error(`invalid learner: ${problems.join(', ')}`);
		const typed = readPin(input.pin);
		const pin = typed ? await lockWithPin(typed) : removePin ? null : undefined;
		const changes: LearnerChanges = { name: input.name.trim(), district: input.district.trim(), language: input.language, ...(pin !== undefined ? { pin } : {}) };
		await saveChanges(learner.id, changes);
		const updated: LearnerOnPhone = { ...learner, name: changes.name, district: changes.district, language: changes.language };
		if (pin === null) delete updated.pin;
		else if (pin) updated.pin = pin;
		await (await this.db()).learners.put(updated);
		this.list = this.list.map((l) => (l.id === updated.id ? updated : l));
		this.becomeCurrent(updated);
	}

	/** Gives a learner their sync account, or (undefined) forgets it; their data stays. */
	async setAccount(id: string, account: LearnerAccount | undefined): Promise<void> {
		const learner = this.list.find((l) => l.id === id);
		if (!learner) throw new Error('unknown learner');
		const updated: LearnerOnPhone = { ...learner };
		if (account) updated.account = account;
		else delete updated.account;
		await this.replace(updated);
	}

	/**
	 * What another phone (or the server) changed in a learner's profile reaches this phone's list:
	 * name, district, language and PIN lock, as merged from their synced profile.
	 */
	async followProfile(id: string, profile: { name: string; district: string; language: string; pin?: PinLock }): Promise<void> {
		const learner = this.list.find((l) => l.id === id);
		if (!learner) return;
		const updated: LearnerOnPhone = { ...learner, name: profile.name, district: profile.district, language: profile.language };
		if (profile.pin) updated.pin = profile.pin;
		else delete updated.pin;
		if (JSON.stringify(updated) === JSON.stringify(learner)) return;
		await this.replace(updated);
		if (this.current?.id === id && learner.language !== updated.language) this.useLanguage(updated.language);
	}

	/**
	 * A learner who signed in on this phone: their data was brought down first (`writeProfile`
	 * analogue), so the record points at a database that has it. They become current.
	 */
	async addSignedIn(learner: LearnerOnPhone): Promise<void> {
		await (await this.db()).learners.put(learner);
		await this.load();
		this.becomeCurrent(learner);
	}

	private async replace(updated: LearnerOnPhone): Promise<void> {
		await (await this.db()).learners.put(updated);
		this.list = this.list.map((l) => (l.id === updated.id ? updated : l));
		if (this.current?.id === updated.id) this.current = updated;
	}

	/** Removes a learner and everything of theirs from this phone (what was synced stays on the server). */
	async remove(id: string, forget: (learnerId: string) => Promise<void>): Promise<void> {
		await forget(id);
		await (await this.db()).learners.delete(id);
		this.list = this.list.filter((l) => l.id !== id);
		if (this.current?.id === id) this.leave();
	}

	/** Nobody is current: the next person chooses themselves (and types their PIN). */
	leave(): void {
		this.storage.removeItem(CURRENT_KEY);
		this.current = undefined;
	}

	private becomeCurrent(learner: LearnerOnPhone): void {
		this.storage.setItem(CURRENT_KEY, learner.id);
		this.current = learner;
		this.useLanguage(learner.language);
	}
}

/** The phone's learners, for every screen. */
export const learners = new Learners();
