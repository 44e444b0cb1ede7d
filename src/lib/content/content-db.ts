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
	/** The file's bytes exactly as the publisher signed them, so the course can be passed on intact. */
	blob: Blob;
	/** For lesson text and SVG images: the sanitised copy that is shown (a bundle is untrusted input). */
	display?: Blob;
	/**
	 * Stored before version 3, when only the sanitised copy was kept: shown as before, but not the
	 * signed bytes. The next download of the course fetches the file again.
	 */
	stale?: true;
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

/** A key the phone trusts for a publisher's signatures. A publisher may have several (rotation). */
export interface PublisherKey {
	publicKey: string;
	publisher: string;
	/** Where the key came from: this app's own server, or a coordinator who added it. (The keys shipped with the app are in code.) */
	source: 'server' | 'coordinator';
	addedAt: string;
}

/** An import under way: the files it has stored so far are kept until it installs its courses or fails. */
export interface ImportJob {
	id: string;
	shas: string[];
	startedAt: string;
}

export type ContentDb = Dexie & {
	courses: EntityTable<InstalledCourse, 'id'>;
	files: EntityTable<StoredFile, 'sha256'>;
	downloads: EntityTable<DownloadJob, 'key'>;
	publisherKeys: EntityTable<PublisherKey, 'publicKey'>;
	imports: EntityTable<ImportJob, 'id'>;
};

interface TrustedPublisherV2 {
	id: string;
	publicKey: string;
	source: 'server' | 'coordinator';
}

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
	// Version 3: several keys per publisher (one table row per key); lesson text keeps its signed
	// bytes beside the sanitised copy, so a course can be shared as a file that verifies; imports
	// in progress protect the files they have stored.
	db.version(3)
		.stores({ publishers: null, publisherKeys: '&publicKey, publisher', imports: '&id' })
		.upgrade(async (tx) => {
			const now = new Date().toISOString();
			const old = await tx.table<TrustedPublisherV2, string>('publishers').toArray();
			await tx.table<PublisherKey, string>('publisherKeys').bulkPut(old.map((p) => ({ publicKey: p.publicKey, publisher: p.id, source: p.source, addedAt: now })));
			// Lesson text was stored sanitised only: shown from `display` now, fetched whole on the next download.
			await tx
				.table<StoredFile, string>('files')
				.toCollection()
				.modify((file) => {
					if (file.blob.type.startsWith('text/html')) {
						file.display = file.blob;
						file.stale = true;
					}
				});
		});
	return db;
}

let shared: ContentDb | undefined;

/** The app's one content database, opened on first use. */
export function contentDb(): ContentDb {
	shared ??= openContentDb();
	return shared;
}
