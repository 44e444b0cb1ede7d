import { describe, expect, it } from 'vitest';
import { ProgressError } from './events';
import { mergeProfileRevisions, mergeProfiles, newProfile, parseProfile, updateProfile, type PinLock, type Profile } from './profile';

const t = (minute: number) => new Date(Date.UTC(2025, 2, 1, 9, minute)).toISOString();
const clock = (minute: number) => () => new Date(t(minute));

const PIN: PinLock = { algorithm: 'PBKDF2-SHA256', iterations: 100_000, salt: 'c2FsdHNhbHRzYWx0', hash: 'aGFzaGhhc2hoYXNoaGFzaA==' };
const OTHER_PIN: PinLock = { ...PIN, salt: 'b3RoZXJzYWx0c2FsdA==' };

const base = () => newProfile({ name: 'Asha', district: 'Pune', language: 'en' }, clock(1));

/** A revision as another phone might have written it. */
function revision(edit: (p: Profile) => void): Profile {
	const p = base();
	edit(p);
	expect(parseProfile(p).ok).toBe(true);
	return p;
}

const withoutRev = ({ _rev: _, ...rest }: Profile) => rest;

// Revisions with later clocks, equal clocks and different values, a PIN set, removed and set again.
const family: Record<string, Profile> = {
	original: base(),
	renamed: revision((p) => {
		p.name = 'Asha K';
		p.updatedAt.name = t(3);
		p.language = 'hi';
		p.updatedAt.language = t(2);
		p.createdAt = t(0);
	}),
	renamedSameMoment: revision((p) => {
		p.name = 'Asha Kumari';
		p.updatedAt.name = t(3);
		p.pin = PIN;
		p.updatedAt.pin = t(4);
	}),
	pinRemoved: revision((p) => {
		p.updatedAt.pin = t(5);
		p.district = 'Nashik';
		p.updatedAt.district = t(2);
	}),
	otherPinSameMoment: revision((p) => {
		p.pin = OTHER_PIN;
		p.updatedAt.pin = t(4);
		p.language = 'mr';
		p.updatedAt.language = t(2);
	}),
	sameAsRenamedButStored: revision((p) => {
		p._rev = '3-abc';
		p.name = 'Asha Kumari';
		p.updatedAt.name = t(3);
		// The same PIN with its keys in another order: equal values must compare equal.
		p.pin = { hash: PIN.hash, salt: PIN.salt, iterations: PIN.iterations, algorithm: PIN.algorithm };
		p.updatedAt.pin = t(4);
	})
};
const revisions = Object.values(family);

describe('mergeProfiles', () => {
	it('takes each field from the side that set it last', () => {
		const merged = mergeProfiles(family.renamed!, family.pinRemoved!);
		expect(merged).toEqual({
			_id: 'profile',
			format: 1,
			name: 'Asha K',
			district: 'Nashik',
			language: 'hi',
			createdAt: t(0),
			updatedAt: { name: t(3), district: t(2), language: t(2), pin: t(5) }
		});
		expect(parseProfile(merged).ok).toBe(true);
	});

	it('breaks a tie of clocks by the values, the same way from either side', () => {
		expect(mergeProfiles(family.renamed!, family.renamedSameMoment!).name).toBe('Asha Kumari');
		expect(mergeProfiles(family.renamedSameMoment!, family.renamed!).name).toBe('Asha Kumari');
		expect(mergeProfiles(family.renamed!, family.otherPinSameMoment!).language).toBe('mr');
		expect(mergeProfiles(family.otherPinSameMoment!, family.renamed!).language).toBe('mr');
		// '{"algorithm"…"salt":"c2Fs…' > '…"salt":"b3Ro…'
		expect(mergeProfiles(family.renamedSameMoment!, family.otherPinSameMoment!).pin).toEqual(PIN);
		expect(mergeProfiles(family.otherPinSameMoment!, family.renamedSameMoment!).pin).toEqual(PIN);
	});

	it('removes a PIN when the removal is later, and keeps one set later than a removal', () => {
		const removed = mergeProfiles(family.renamedSameMoment!, family.pinRemoved!);
		expect('pin' in removed).toBe(false);
		expect(removed.updatedAt.pin).toBe(t(5));
		const setAgain = revision((p) => {
			p.pin = OTHER_PIN;
			p.updatedAt.pin = t(6);
		});
		expect(mergeProfiles(family.pinRemoved!, setAgain).pin).toEqual(OTHER_PIN);
		expect(mergeProfiles(setAgain, family.pinRemoved!).pin).toEqual(OTHER_PIN);
	});

	it('keeps a PIN that the other side never touched', () => {
		expect(mergeProfiles(family.original!, family.renamedSameMoment!).pin).toEqual(PIN);
		expect(mergeProfiles(family.renamedSameMoment!, family.original!).pin).toEqual(PIN);
	});

	it('is commutative', () => {
		for (const a of revisions) for (const b of revisions) expect(mergeProfiles(a, b)).toEqual(mergeProfiles(b, a));
	});

	it('is associative', () => {
		for (const a of revisions) {
			for (const b of revisions) {
				for (const c of revisions) expect(mergeProfiles(mergeProfiles(a, b), c)).toEqual(mergeProfiles(a, mergeProfiles(b, c)));
			}
		}
	});

	it('is idempotent, and merging again what was merged changes nothing', () => {
		for (const a of revisions) {
			expect(mergeProfiles(a, a)).toEqual(withoutRev(a));
			for (const b of revisions) expect(mergeProfiles(mergeProfiles(a, b), b)).toEqual(mergeProfiles(a, b));
		}
	});

	it('converges whatever order the revisions arrive in', () => {
		const forwards = revisions.reduce(mergeProfiles);
		const backwards = [...revisions].reverse().reduce(mergeProfiles);
		const shuffled = [3, 0, 5, 1, 4, 2].map((i) => revisions[i]!).reduce(mergeProfiles);
		expect(backwards).toEqual(forwards);
		expect(shuffled).toEqual(forwards);
		expect(forwards).toEqual({
			_id: 'profile',
			format: 1,
			name: 'Asha Kumari',
			district: 'Nashik',
			language: 'mr',
			createdAt: t(0),
			updatedAt: { name: t(3), district: t(2), language: t(2), pin: t(5) }
		});
	});

	it('resolves a conflict onto the winning revision', () => {
		const winning = { ...family.renamed!, _rev: '4-winner' };
		const merged = mergeProfileRevisions(winning, [family.pinRemoved!, family.sameAsRenamedButStored!]);
		expect(merged._rev).toBe('4-winner');
		expect(withoutRev(merged)).toEqual(mergeProfiles(mergeProfiles(winning, family.pinRemoved!), family.sameAsRenamedButStored!));
		expect(mergeProfileRevisions(winning, [])).toEqual(winning);
	});
});

describe('newProfile and updateProfile', () => {
	it('stamps every field, and the PIN only when there is one', () => {
		expect(base()).toEqual({
			_id: 'profile',
			format: 1,
			name: 'Asha',
			district: 'Pune',
			language: 'en',
			createdAt: t(1),
			updatedAt: { name: t(1), district: t(1), language: t(1) }
		});
		const locked = newProfile({ name: 'Asha', district: 'Pune', language: 'en', pin: PIN }, clock(1));
		expect(locked.pin).toEqual(PIN);
		expect(locked.updatedAt.pin).toBe(t(1));
	});

	it('moves only the clocks of fields that changed, and keeps the revision', () => {
		const stored = { ...base(), _rev: '1-abc' };
		const updated = updateProfile(stored, { name: 'Asha Kumari', district: 'Pune' }, clock(9));
		expect(updated).toEqual({ ...stored, name: 'Asha Kumari', updatedAt: { ...stored.updatedAt, name: t(9) } });
		expect(stored.name).toBe('Asha'); // not changed in place
	});

	it('sets and removes the PIN with a clock', () => {
		const locked = updateProfile(base(), { pin: PIN }, clock(2));
		expect(locked.pin).toEqual(PIN);
		expect(locked.updatedAt.pin).toBe(t(2));
		const unlocked = updateProfile(locked, { pin: null }, clock(3));
		expect('pin' in unlocked).toBe(false);
		expect(unlocked.updatedAt.pin).toBe(t(3));
		// The removal beats the revision that still had the PIN.
		expect('pin' in mergeProfiles(locked, unlocked)).toBe(false);
	});

	it("lets a phone's own latest edit win even when its clock stepped back", () => {
		const first = updateProfile(base(), { name: 'Asha K' }, clock(30));
		const second = updateProfile(first, { name: 'Asha Kumari' }, clock(10));
		expect(second.updatedAt.name).toBe(new Date(Date.parse(t(30)) + 1).toISOString());
		expect(mergeProfiles(first, second).name).toBe('Asha Kumari');
	});

	it('refuses an invalid change', () => {
		expect(() => updateProfile(base(), { name: '' }, clock(2))).toThrow(ProgressError);
		expect(() => newProfile({ name: 'Asha', district: 'Pune', language: 'english' }, clock(1))).toThrow(/language: /);
	});
});

describe('parseProfile', () => {
	const problemsOf = (value: unknown) => {
		const parsed = parseProfile(value);
		return parsed.ok ? [] : parsed.problems;
	};

	it('accepts a stored profile with its revision', () => {
		const stored = { ...family.renamedSameMoment!, _rev: '2-def' };
		expect(parseProfile(JSON.parse(JSON.stringify(stored)))).toEqual({ ok: true, value: stored });
	});

	it('refuses extra fields, here and in the clocks and the PIN (strict)', () => {
		expect(problemsOf({ ...base(), email: 'a@b.c' })).toEqual(['profile: Unrecognized key: "email"']);
		expect(problemsOf({ ...base(), updatedAt: { ...base().updatedAt, email: t(1) } })).toEqual(['updatedAt: Unrecognized key: "email"']);
		expect(problemsOf({ ...base(), pin: { ...PIN, pin: '1234' } })).toEqual(['pin: Unrecognized key: "pin"']);
	});

	it('bounds what a person typed', () => {
		expect(problemsOf({ ...base(), name: 'x'.repeat(101) })).toEqual([expect.stringMatching(/^name: /)]);
		expect(problemsOf({ ...base(), name: ' Asha' })).toEqual([expect.stringMatching(/^name: /)]);
		expect(problemsOf({ ...base(), district: 'Pune\u0000' })).toEqual([expect.stringMatching(/^district: /)]);
		expect(problemsOf({ ...base(), name: 'आशा कुमारी' })).toEqual([]);
	});

	it('refuses a bad PIN lock, a missing clock, a bad date and an unknown format', () => {
		expect(problemsOf({ ...base(), pin: { ...PIN, salt: 'not base64!' } })).toEqual([expect.stringMatching(/^pin\.salt: /)]);
		expect(problemsOf({ ...base(), pin: { ...PIN, iterations: 0 } })).toEqual([expect.stringMatching(/^pin\.iterations: /)]);
		const { name: _, ...noNameClock } = base().updatedAt;
		expect(problemsOf({ ...base(), updatedAt: noNameClock })).toEqual([expect.stringMatching(/^updatedAt\.name: /)]);
		expect(problemsOf({ ...base(), createdAt: '2025-02-30T00:00:00.000Z' })).toEqual([expect.stringMatching(/^createdAt: /)]);
		expect(problemsOf({ ...base(), _id: 'profile-2' })).toEqual([expect.stringMatching(/^_id: /)]);
		expect(problemsOf({ ...base(), format: 2 })).toEqual(['format: progress format 2 is not one this version of Sikho can read (it reads 1)']);
	});
});
