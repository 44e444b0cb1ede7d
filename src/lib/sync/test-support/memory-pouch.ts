/** PouchDB as the sync tests use it: in memory (no IndexedDB), with HTTP and replication. */
import PouchDB from 'pouchdb-core';
import MemoryAdapter from 'pouchdb-adapter-memory';
import HttpAdapter from 'pouchdb-adapter-http';
import replication from 'pouchdb-replication';

PouchDB.plugin(MemoryAdapter).plugin(HttpAdapter).plugin(replication);

let n = 0;
/** A fresh, empty database in memory. */
export const memoryDb = (prefix = 'test') => new PouchDB<object>(`${prefix}-${n++}-${Math.random().toString(36).slice(2)}`, { adapter: 'memory' });

export { PouchDB };
