import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDeviceProfiles, type LearnerOnPhone } from './device-profiles';
import { checkNewLearner, Learners } from './learners.svelte';

let n = 0;
let storage: Map<string, string>;
let languages: string[];
let written: LearnerOnPhone[];
const writeProfile = async (learner: LearnerOnPhone) => void written.push(learner);

function phone() {
	const db = openDeviceProfiles(`test-profiles-${n++}`);
	return () =>
		new Learners({
			db: () => db,
			storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v), removeItem: (k) => void storage.delete(k) },
			useLanguage: (language) => languages.push(language)
		});
}

beforeEach(() => {
	storage = new Map();
	languages = [];
	written = [];
});

describe('learners on a shared phone', () => {
	it('checks a new learner’s form field by field', () => {
		expect(checkNewLearner({ name: ' ', district: '', language: 'hi', pin: '12' })).toEqual(['name-missing', 'district-missing', 'pin-invalid']);
		expect(checkNewLearner({ name: 'Asha', district: 'Sitapur', language: 'hi', pin: '' })).toEqual([]);
		expect(checkNewLearner({ name: 'x'.repeat(101), district: 'y'.repeat(101), language: 'hi', pin: '१२३४' })).toEqual(['name-too-long', 'district-too-long']);
	});

	it('creates a learner offline, writes their profile first, and makes them current in their language', async () => {
		const open = phone();
		const learners = open();
		await learners.load();
		const asha = await learners.create({ name: ' Asha ', district: 'Sitapur', language: 'hi', pin: '' }, writeProfile);
		expect(asha).toMatchObject({ name: 'Asha', district: 'Sitapur', language: 'hi' });
		expect(written).toEqual([asha]);
		expect(learners.current?.id).toBe(asha.id);
		expect(languages).toEqual(['hi']);
		// After a reload, the same learner is current.
		const reopened = open();
		await reopened.load();
		expect(reopened.current?.id).toBe(asha.id);
	});

	it('asks for the PIN of a learner who set one, and lists the last used first', async () => {
		const learners = phone()();
		await learners.load();
		const asha = await learners.create({ name: 'Asha', district: 'Sitapur', language: 'hi', pin: '2580' }, writeProfile);
		const ravi = await learners.create({ name: 'Ravi', district: 'Sitapur', language: 'en', pin: '' }, writeProfile);
		expect(asha.pin).toBeDefined();
		expect(learners.current?.id).toBe(ravi.id);

		expect(await learners.switchTo(asha.id, '1111')).toBe('wrong-pin');
		expect(await learners.switchTo(asha.id)).toBe('wrong-pin');
		expect(learners.current?.id).toBe(ravi.id);
		expect(await learners.switchTo(asha.id, '२५८०')).toBe('ok');
		expect(learners.current?.id).toBe(asha.id);
		expect(learners.list.map((l) => l.name)).toEqual(['Asha', 'Ravi']);
		expect(await learners.switchTo('nobody')).toBe('unknown');

		learners.leave();
		expect(learners.current).toBeUndefined();
		expect(await learners.switchTo(ravi.id)).toBe('ok');
	});

	it('lists no learner when the profile could not be written', async () => {
		const learners = phone()();
		await learners.load();
		await expect(learners.create({ name: 'Asha', district: 'Sitapur', language: 'hi', pin: '' }, () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
		expect(learners.list).toEqual([]);
		expect(learners.current).toBeUndefined();
	});

	it('changes the current learner’s details in their database first, keeping or removing the PIN', async () => {
		const learners = phone()();
		await learners.load();
		const asha = await learners.create({ name: 'Asha', district: 'Sitapur', language: 'hi', pin: '2580' }, writeProfile);
		const saved: Array<{ id: string; pin: unknown }> = [];
		const save = async (id: string, changes: { pin?: unknown }) => void saved.push({ id, pin: changes.pin });

		await learners.update({ name: 'Asha Devi', district: 'Sitapur', language: 'en', pin: '' }, false, save);
		expect(learners.current).toMatchObject({ id: asha.id, name: 'Asha Devi', language: 'en', pin: asha.pin });
		expect(saved).toEqual([{ id: asha.id, pin: undefined }]);
		expect(languages.at(-1)).toBe('en');

		await learners.update({ name: 'Asha Devi', district: 'Sitapur', language: 'en', pin: '' }, true, save);
		expect(saved.at(-1)).toEqual({ id: asha.id, pin: null });
		expect(learners.current?.pin).toBeUndefined();
		learners.leave();
		expect(await learners.switchTo(asha.id)).toBe('ok');

		// A failed write changes nothing on the phone's list.
		await expect(learners.update({ name: 'Someone else', district: 'X', language: 'en', pin: '' }, false, () => Promise.reject(new Error('disk full')))).rejects.toThrow();
		expect(learners.current?.name).toBe('Asha Devi');
	});

	it('removes a learner and their data from the phone', async () => {
		const open = phone();
		const learners = open();
		await learners.load();
		const asha = await learners.create({ name: 'Asha', district: 'Sitapur', language: 'hi', pin: '' }, writeProfile);
		const forgotten: string[] = [];
		await learners.remove(asha.id, async (id) => void forgotten.push(id));
		expect(forgotten).toEqual([asha.id]);
		expect(learners.current).toBeUndefined();
		const reopened = open();
		await reopened.load();
		expect(reopened.list).toEqual([]);
	});
	it('keeps a learner’s sync account on the phone’s list, and forgets it on sign-out', async () => {
		const open = phone();
		const learners = open();
		await learners.load();
		const asha = await learners.create({ name: 'Asha', district: 'Sitapur', language: 'hi', pin: '' }, writeProfile);
		const account = { username: 'asha', db: `learner-${asha.id}`, refreshToken: 'r', accessToken: 'a', accessExpiresAt: '2026-03-10T09:15:00.000Z' };
		await learners.setAccount(asha.id, account);
		expect(learners.current?.account).toEqual(account);
		const reopened = open();
		await reopened.load();
		expect(reopened.current?.account).toEqual(account);
		await learners.setAccount(asha.id, undefined);
		expect(learners.current?.account).toBeUndefined();
		expect(learners.current).toMatchObject({ id: asha.id, name: 'Asha' });
	});

	it('follows a profile merged from another phone: name, district, language and PIN lock', async () => {
		const learners = phone()();
		await learners.load();
		const asha = await learners.create({ name: 'Asha', district: 'Sitapur', language: 'hi', pin: '2580' }, writeProfile);
		await learners.followProfile(asha.id, { name: 'Asha Devi', district: 'Lucknow', language: 'en' });
		expect(learners.current).toMatchObject({ id: asha.id, name: 'Asha Devi', district: 'Lucknow', language: 'en' });
		expect(learners.current?.pin).toBeUndefined();
		expect(languages.at(-1)).toBe('en');
	});

	it('lists a learner who signed in on this phone and makes them current', async () => {
		const learners = phone()();
		await learners.load();
		const at = '2026-03-10T09:00:00.000Z';
		const account = { username: 'asha', db: 'learner-x', refreshToken: 'r', accessToken: 'a', accessExpiresAt: at };
		await learners.addSignedIn({ id: 'x', name: 'Asha', district: 'Sitapur', language: 'hi', createdAt: at, lastUsedAt: at, account });
		expect(learners.current).toMatchObject({ id: 'x', account });
		expect(learners.list.map((l) => l.id)).toEqual(['x']);
	});
});

