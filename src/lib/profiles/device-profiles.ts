/**
 * The learners who use this phone: what the "Who is learning?" screen needs before any one
 * learner's progress is opened (name, district, PIN lock). Each learner's own data — profile and
 * progress — lives in that learner's PouchDB database ($lib/progress); this list only points at
 * them, and is never synced.
 */
import { Dexie, type EntityTable } from 'dexie';
import type { PinLock } from './pin';
import type { LearnerAccount } from '$lib/sync/session';

export interface LearnerOnPhone {
	id: string;
	name: string;
	district: string;
	language: string;
	pin?: PinLock;
	createdAt: string;
	lastUsedAt: string;
	/**
	 * The learner's sync account, when they have one: tokens stay on this phone, never in the
	 * synced database. Not indexed, so adding it needed no new Dexie version (Dexie stores the
	 * whole object; only the indexes in `stores()` are part of the schema).
	 */
	account?: LearnerAccount;
}

export type DeviceProfilesDb = Dexie & { learners: EntityTable<LearnerOnPhone, 'id'> };

export function openDeviceProfiles(name = 'sikho-profiles'): DeviceProfilesDb {
	const db = new Dexie(name) as DeviceProfilesDb;
	// Version 1. A new version adds `db.version(2).stores(…).upgrade(…)` below; never edit this one.
	db.version(1).stores({ learners: '&id, lastUsedAt' });
	return db;
}

let shared: DeviceProfilesDb | undefined;

export function deviceProfiles(): DeviceProfilesDb {
	shared ??= openDeviceProfiles();
	return shared;
}
