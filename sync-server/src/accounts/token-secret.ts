/**
 * The key that signs access tokens. `TOKEN_SECRET` when set (several servers sharing one CouchDB
 * must share it); otherwise a secret generated on first start into `DATA_DIR/token-secret`
 * (owner-only, mode 0600) and read back on every later start, so a restart does not sign every
 * learner out.
 *
 * The file holds text, used exactly like `TOKEN_SECRET`: an operator moving to CouchDB can copy
 * it into `TOKEN_SECRET` and tokens already issued stay valid.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { MIN_SECRET_BYTES } from './access-tokens.js';

export const TOKEN_SECRET_FILE = 'token-secret';

const isErrno = (error: unknown, code: string) => error instanceof Error && (error as NodeJS.ErrnoException).code === code;

async function readSecretFile(path: string): Promise<string> {
	// Someone loosened it (a copy, a backup restore): the secret signs every learner's tokens.
	if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
	const secret = (await readFile(path, 'utf8')).trim();
	if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) throw new Error(`${path} holds fewer than ${MIN_SECRET_BYTES} bytes: delete it to have a new one made (every learner signs in again)`);
	return secret;
}

export async function tokenSecret(config: Pick<Config, 'tokenSecret' | 'dataDir'>): Promise<Uint8Array> {
	if (config.tokenSecret) return new TextEncoder().encode(config.tokenSecret);
	const path = join(config.dataDir, TOKEN_SECRET_FILE);
	try {
		return new TextEncoder().encode(await readSecretFile(path));
	} catch (error) {
		if (!isErrno(error, 'ENOENT')) throw error;
	}
	await mkdir(config.dataDir, { recursive: true });
	const secret = randomBytes(32).toString('base64url');
	try {
		// `wx`: never overwrite a secret that appeared meanwhile (that would sign every learner out).
		await writeFile(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
		return new TextEncoder().encode(secret);
	} catch (error) {
		if (!isErrno(error, 'EEXIST')) throw error;
		return new TextEncoder().encode(await readSecretFile(path));
	}
}
