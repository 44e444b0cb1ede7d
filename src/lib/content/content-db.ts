/**
 * Course content on the phone: one IndexedDB database (Dexie) shared by every profile.
 * Only `$lib/content` modules touch it; screens call those.
 */
import { Dexie, type EntityTable } from 'dexie';
import { CONTENT_DB_NAME } from './content-reader';

/** A course ready to study: the manifest exactly as signed, and the languages stored whole. */
export interface InstalledCourse {
	id: string;
	version: number;
	manifestText: string;
	signature: string;
	languages: string[];
	installedAt: string;
	/** How it came to the phone: downloaded from the server, or imported from a bundle file. */
	source: 'download' | 'file';
}

/** A course file, stored once however many courses or versions use it. */
export interface StoredFile {
	sha256: string;
	blob: Blob;
}

/** A download under way or paused: what it is fetching, so it can resume after a reload. */
export interface DownloadJob {
	key: string;
	courseId: string;
	language: string;
	version: number;
	bytesTotal: number;
	/** The files it needs: kept on the phone while it is paused, so a resume fetches only the rest. */
	shas: string[];
	startedAt: string;
}

export interface TrustedPublisher {
	id: string;
	publicKey: string;
	/** Where the key came from: this app's own server, or a coordinator who added it. */
	source: 'server' | 'coordinator';
}

export type ContentDb = Dexie & {
	courses: EntityTable<InstalledCourse, 'id'>;
	files: EntityTable<StoredFile, 'sha256'>;
	downloads: EntityTable<DownloadJob, 'key'>;
	publishers: EntityTable<TrustedPublisher, 'id'>;
};

export function openContentDb(name = CONTENT_DB_NAME): ContentDb {
	const db = new Dexie(name) as ContentDb;
	// Each version stays as it shipped; a new one is added below with its upgrade. Dexie runs each
	// upgrade once, in order, on the learner's existing data, in one transaction: a phone that dies
	// mid-upgrade keeps the old version and upgrades again on the next start.
	db.version(1).stores({ courses: '&id', files: '&sha256', downloads: '&key', publishers: '&id' });
	// Version 2: courses record where they came from (a bundle file can now install one). Every
	// course stored before was downloaded.
	db.version(2)
		.stores({ courses: '&id, source' })
		.upgrade((tx) =>
			tx
				.table<InstalledCourse, string>('courses')
				.toCollection()
				.modify((course) => {
					course.source ??= 'download';
				})
		);
	return db;
}

let shared: ContentDb | undefined;

/** The app's one content database, opened on first use. */
export function contentDb(): ContentDb {
	shared ??= openContentDb();
	return shared;
}
