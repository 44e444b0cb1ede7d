/**
 * Publisher key files: `<dir>/<publisher>.key` (PKCS#8, base64: keep secret, never commit) and
 * `<dir>/<publisher>.pub` (raw Ed25519 public key, base64: what apps and servers trust).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generatePublisherKeys, type PublisherKeyPair } from '../../../src/lib/course-format/signature.js';
import { SHIPPED_PUBLISHERS } from '../../../src/lib/course-format/shipped-publishers.js';
import type { TrustedPublishers } from '../../../src/lib/course-format/verify.js';

export async function createPublisherKeys(dir: string, publisher: string): Promise<PublisherKeyPair> {
	const keys = await generatePublisherKeys();
	await mkdir(dir, { recursive: true });
	// wx: never overwrite a key that has signed courses already.
	await writeFile(join(dir, `${publisher}.key`), `${keys.privateKey}\n`, { flag: 'wx', mode: 0o600 });
	await writeFile(join(dir, `${publisher}.pub`), `${keys.publicKey}\n`, { flag: 'wx' });
	return keys;
}

export async function readPrivateKey(file: string): Promise<string> {
	return (await readFile(file, 'utf8')).trim();
}

/** Every `<publisher>.pub` in a folder. */
export async function readTrustedPublishers(dir: string): Promise<Record<string, string>> {
	const names = await readdir(dir).catch(() => [] as string[]);
	const entries = await Promise.all(
		names.filter((n) => n.endsWith('.pub')).map(async (n) => [n.slice(0, -4), (await readFile(join(dir, n), 'utf8')).trim()] as const)
	);
	return Object.fromEntries(entries);
}

/** The keys in a folder and the keys shipped with the app: what the CLI trusts when it checks a bundle. */
export async function keysToTrust(dir: string): Promise<TrustedPublishers> {
	const trusted: Record<string, string[]> = {};
	for (const [publisher, key] of [...Object.entries(await readTrustedPublishers(dir)), ...Object.entries(SHIPPED_PUBLISHERS)]) (trusted[publisher] ??= []).push(key);
	return trusted;
}
