/**
 * The learner's profile: the one mutable document in a progress database (`_id: "profile"`).
 * It can be edited on two phones (or on a phone and by a coordinator) before they sync, so
 * CouchDB may hold conflicting revisions of it; `mergeProfiles` turns any set of them into one
 * value that every side computes alike. Isomorphic: no DOM, no Node APIs, no `$lib` imports.
 *
 * The rule, per field (name, district, language, pin): the value with the later `updatedAt` for
 * that field wins; equal clocks are broken by comparing the values' canonical JSON (the greater
 * wins, an absent value is the least). That is a join on a total order, so merging is
 * commutative, associative and idempotent, and two phones that saw the same revisions agree.
 * `createdAt` is the earlier of the two. Clocks are the phones' own: a phone whose clock runs
 * ahead wins its edits until the others catch up, which for a profile is acceptable.
 */
import { z } from '../course-format/zod.js';
import { languageSchema } from '../course-format/manifest.js';
import { isoTimeSchema, problemsOf, ProgressError, PROGRESS_FORMAT_VERSION, revSchema, type Parsed } from './events.js';

export const PROFILE_ID = 'profile';
export const PROFILE_FIELDS = ['name', 'district', 'language', 'pin'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** A PIN as stored: a salted slow hash, never the PIN (hashing is `src/lib/profiles/pin.ts`). */
export const pinLockSchema = z.strictObject({
	algorithm: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'an algorithm name such as "PBKDF2-SHA256"'),
	iterations: z.number().int().min(1).max(10_000_000),
	salt: z.string().min(8).max(200).regex(BASE64, 'base64'),
	hash: z.string().min(8).max(200).regex(BASE64, 'base64')
});
export type PinLock = z.infer<typeof pinLockSchema>;

// Typed by a person: no control characters, no spaces at either end (the form trims them).
export const personText = z
	.string()
	.min(1)
	.max(100)
	.regex(/^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u, 'text without control characters or spaces at either end');

export const profileSchema = z.strictObject({
	_id: z.literal(PROFILE_ID),
	_rev: revSchema.optional(),
	format: z.literal(PROGRESS_FORMAT_VERSION),
	name: personText,
	/** The learner's organisation or district, as coordinators group learners. */
	district: personText,
	language: languageSchema,
	/** Absent: no PIN. */
	pin: pinLockSchema.optional(),
	createdAt: isoTimeSchema,
	/** When each field was last set, by the clock of the phone that set it. `pin` is absent until a PIN is first set. */
	updatedAt: z.strictObject({
		name: isoTimeSchema,
		district: isoTimeSchema,
		language: isoTimeSchema,
		pin: isoTimeSchema.optional()
	})
});
export type Profile = z.infer<typeof profileSchema>;

/** Checks an untrusted profile document and names every problem. */
export function parseProfile(value: unknown): Parsed<Profile> {
	const format = (value as { format?: unknown } | null)?.format;
	if (typeof format === 'number' && format !== PROGRESS_FORMAT_VERSION) {
		return { ok: false, problems: [`format: progress format ${format} is not one this version of Sikho can read (it reads ${PROGRESS_FORMAT_VERSION})`] };
	}
	const parsed = profileSchema.safeParse(value);
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: problemsOf(parsed.error, 'profile') };
}

function checked(profile: Profile): Profile {
	const parsed = parseProfile(profile);
	if (!parsed.ok) throw new ProgressError(parsed.problems);
	return parsed.value;
}

export interface NewProfile {
	name: string;
	district: string;
	language: string;
	pin?: PinLock;
}

/** A new learner's profile, every field stamped with the same moment. Throws `ProgressError` if invalid. */
export function newProfile(input: NewProfile, now: () => Date): Profile {
	const at = now().toISOString();
	const profile: Profile = {
		_id: PROFILE_ID,
		format: PROGRESS_FORMAT_VERSION,
		name: input.name,
		district: input.district,
		language: input.language,
		createdAt: at,
		updatedAt: { name: at, district: at, language: at }
	};
	if (input.pin) {
		profile.pin = input.pin;
		profile.updatedAt.pin = at;
	}
	return checked(profile);
}

/** Changes to a profile; `pin: null` removes the PIN. */
export interface ProfileChanges {
	name?: string;
	district?: string;
	language?: string;
	pin?: PinLock | null;
}

/**
 * The profile with the changed fields set and their clocks moved on. A field given its current
 * value keeps its clock (no needless revision). A new clock is never earlier than 1 ms after the
 * old one, so a phone whose clock stepped back still sees its own latest edit win.
 * Keeps `_rev`, ready to `put`. Throws `ProgressError` if the result is invalid.
 */
export function updateProfile(profile: Profile, changes: ProfileChanges, now: () => Date): Profile {
	const next: Profile = structuredClone(profile);
	const nowMs = now().getTime();
	const clock = (previous: string | undefined) => new Date(Math.max(nowMs, previous === undefined ? -Infinity : Date.parse(previous) + 1)).toISOString();
	for (const field of PROFILE_FIELDS) {
		if (!(field in changes)) continue;
		const value = changes[field] ?? undefined;
		if (canonicalJson(value) === canonicalJson(profile[field])) continue;
		if (field === 'pin') {
			if (value === undefined) delete next.pin;
			else next.pin = value as PinLock;
		} else {
			next[field] = value as string;
		}
		next.updatedAt[field] = clock(profile.updatedAt[field]);
	}
	return checked(next);
}

/** JSON with object keys sorted, so equal values compare equal whatever order their keys came in. */
function canonicalJson(value: unknown): string {
	if (value === undefined) return '';
	if (value === null || typeof value !== 'object') return JSON.stringify(value);
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	const record = value as Record<string, unknown>;
	const keys = Object.keys(record)
		.filter((key) => record[key] !== undefined)
		.sort();
	return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
}

/** Which side's value of one field survives (see the rule at the top). */
function winner(a: Profile, b: Profile, field: ProfileField): Profile {
	const clockA = a.updatedAt[field] ?? '';
	const clockB = b.updatedAt[field] ?? '';
	if (clockA !== clockB) return clockA > clockB ? a : b;
	return canonicalJson(a[field]) >= canonicalJson(b[field]) ? a : b;
}

/**
 * Two revisions of a profile merged field by field (rule at the top of this file). The result
 * has no `_rev`: which revision it replaces is the caller's business (`mergeProfileRevisions`).
 */
export function mergeProfiles(a: Profile, b: Profile): Profile {
	const name = winner(a, b, 'name');
	const district = winner(a, b, 'district');
	const language = winner(a, b, 'language');
	const pin = winner(a, b, 'pin');
	const merged: Profile = {
		_id: PROFILE_ID,
		format: PROGRESS_FORMAT_VERSION,
		name: name.name,
		district: district.district,
		language: language.language,
		createdAt: a.createdAt < b.createdAt ? a.createdAt : b.createdAt,
		updatedAt: { name: name.updatedAt.name, district: district.updatedAt.district, language: language.updatedAt.language }
	};
	if (pin.pin) merged.pin = structuredClone(pin.pin);
	if (pin.updatedAt.pin !== undefined) merged.updatedAt.pin = pin.updatedAt.pin;
	return merged;
}

/**
 * Resolves a conflicted profile: PouchDB's winning revision (`get('profile', { conflicts: true })`)
 * and the losing ones merged into one document carrying the winner's `_rev`. The caller puts it
 * and deletes the losing revisions in the same `bulkDocs`, so every replica converges to it.
 */
export function mergeProfileRevisions(winning: Profile, losing: readonly Profile[]): Profile {
	const merged = losing.reduce(mergeProfiles, winning);
	return winning._rev === undefined ? merged : { ...merged, _rev: winning._rev };
}
