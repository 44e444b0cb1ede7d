/**
 * The store the configuration asks for: CouchDB when COUCHDB_URL is set, else the embedded store
 * under DATA_DIR. The one place that knows both exist.
 */
import { join } from 'node:path';
import type { Config } from '../config.js';
import { CouchDbStore } from './couchdb-store.js';
import { EmbeddedStore } from './embedded-store.js';
import type { Store } from './store.js';

/** Where the embedded store keeps learners' databases, one folder each. */
export const learnersDir = (dataDir: string) => join(dataDir, 'learners');

export async function createStore(config: Pick<Config, 'dataDir' | 'couchdbUrl'>): Promise<Store> {
	if (config.couchdbUrl) return new CouchDbStore({ url: config.couchdbUrl });
	return EmbeddedStore.open({ root: learnersDir(config.dataDir) });
}
