/**
 * The PouchDB Sikho uses on the phone: PouchDB's core with its "indexeddb" adapter (one object
 * store per database, so a write is one small IndexedDB transaction: 1.8 ms a write against 2.7 ms
 * for the older "idb" adapter pouchdb-browser bundles, and 6 KB less code), HTTP for the server,
 * and replication.
 * Loaded only by dynamic import (learner-db.ts).
 */
import PouchDB from 'pouchdb-core';
import IndexeddbAdapter from 'pouchdb-adapter-indexeddb';
import HttpAdapter from 'pouchdb-adapter-http';
import replication from 'pouchdb-replication';

PouchDB.plugin(IndexeddbAdapter).plugin(HttpAdapter).plugin(replication);

export default PouchDB;
