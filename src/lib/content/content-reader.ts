/**
 * Reads courses and files from the content database with the browser's own IndexedDB API, for
 * screens that only read (a lesson). Opening a lesson cold is what learners do most, and on a
 * slow phone fetching and compiling Dexie (~100 KB) took longer than everything else the lesson
 * needs; two reads do not need it. Dexie stays the only writer and owns the schema
 * (content-db.ts): this reader opens the database as Dexie left it and never creates or upgrades it.
 */
import type { InstalledCourse, StoredFile } from './content-db';

/** The one content database's name, shared with Dexie's side (content-db.ts). */
export const CONTENT_DB_NAME = 'sikho-content';

/** What opening a lesson reads: a course record and files by their SHA-256. */
export interface CourseFiles {
	course(id: string): Promise<InstalledCourse | undefined>;
	/** The files as shown (lesson text sanitised), in the order asked; undefined for a file the phone lacks. */
	blobs(shas: readonly string[]): Promise<(Blob | undefined)[]>;
}

export class ContentReader implements CourseFiles {
	readonly #name: string;
	readonly #idb: IDBFactory;
	#connection: Promise<IDBDatabase | undefined> | undefined;

	constructor(name = CONTENT_DB_NAME, idb: IDBFactory = indexedDB) {
		this.#name = name;
		this.#idb = idb;
	}

	async course(id: string): Promise<InstalledCourse | undefined> {
		const db = await this.#open();
		if (!db) return undefined;
		return settled<InstalledCourse | undefined>(db.transaction('courses', 'readonly').objectStore('courses').get(id));
	}

	async blobs(shas: readonly string[]): Promise<(Blob | undefined)[]> {
		const db = await this.#open();
		if (!db || shas.length === 0) return shas.map(() => undefined);
		// One transaction, every request issued at once: one round trip to the database, not one per file.
		const files = db.transaction('files', 'readonly').objectStore('files');
		return Promise.all(shas.map(async (sha) => displayed(await settled<StoredFile | undefined>(files.get(sha)))));
	}

	/** Closes the connection (tests; the app keeps it for the session). */
	close(): void {
		void this.#connection?.then((db) => db?.close());
		this.#connection = undefined;
	}

	#open(): Promise<IDBDatabase | undefined> {
		const opening = (this.#connection ??= openExisting(this.#idb, this.#name, () => {
			this.#connection = undefined;
		}));
		// "No database yet" is not kept: a course downloaded later in this session must be found.
		void opening.then((db) => {
			if (!db && this.#connection === opening) this.#connection = undefined;
		}, () => {
			if (this.#connection === opening) this.#connection = undefined;
		});
		return opening;
	}
}

/**
 * The database at whatever version Dexie made it, or undefined if nothing was ever stored.
 * `onClosed` runs when the connection goes away (Dexie upgrading the schema in another tab asks
 * every connection to close, and an open reader must not block that upgrade).
 */
function openExisting(idb: IDBFactory, name: string, onClosed: () => void): Promise<IDBDatabase | undefined> {
	return new Promise((resolve, reject) => {
		const request = idb.open(name);
		// Opening without a version creates a missing database at version 1 with no tables. Abort
		// that, so Dexie creates it with its schema when the first course is stored.
		request.onupgradeneeded = () => request.transaction?.abort();
		request.onsuccess = () => {
			const db = request.result;
			db.onversionchange = () => {
				db.close();
				onClosed();
			};
			db.onclose = onClosed;
			resolve(db);
		};
		request.onerror = (event) => {
			if (request.error?.name !== 'AbortError') return reject(request.error ?? new Error(`cannot open ${name}`));
			event.preventDefault();
			resolve(undefined);
		};
	});
}

const displayed = (file: StoredFile | undefined) => file && (file.display ?? file.blob);

function settled<T>(request: IDBRequest): Promise<T> {
	return new Promise((resolve, reject) => {
		request.onsuccess = () => resolve(request.result as T);
		request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
	});
}

let shared: ContentReader | undefined;

/** The app's one reader of the content database, opened on first use. */
export function contentReader(): ContentReader {
	shared ??= new ContentReader();
	return shared;
}
