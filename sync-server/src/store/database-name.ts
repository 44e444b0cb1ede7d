/**
 * Database names as CouchDB allows them, checked before any store touches a file or a URL: a name
 * that passes can never climb out of the embedded store's folder nor change the path of a CouchDB
 * request.
 */
import { StoreError } from './store.js';

const LEGAL = /^[a-z][a-z0-9_$()+/-]*$/;
const MAX_LENGTH = 200;

export function databaseNameProblem(name: string): string | undefined {
	if (name.length > MAX_LENGTH) return `a database name is at most ${MAX_LENGTH} characters`;
	if (!LEGAL.test(name)) return 'a database name starts with a lower-case letter and holds only a-z, 0-9 and _$()+/-';
	if (name.includes('..')) return 'a database name does not contain ".."';
	return undefined;
}

/** Throws CouchDB's `illegal_database_name` for a name no store may use. */
export function checkDatabaseName(name: string): void {
	const problem = databaseNameProblem(name);
	if (problem) throw new StoreError(400, 'illegal_database_name', `Name: '${name.slice(0, MAX_LENGTH)}'. ${problem}.`);
}
