import { mkdtemp, readFile, stat, chmod, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOKEN_SECRET_FILE, tokenSecret } from './token-secret.js';

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const dataDir = () => mkdtemp(join(tmpdir(), 'sikho-secret-'));

describe('tokenSecret', () => {
	it('uses TOKEN_SECRET when set, and writes nothing', async () => {
		const dir = await dataDir();
		const secret = 'an-operator-chosen-secret-of-32+chars';
		expect(decode(await tokenSecret({ tokenSecret: secret, dataDir: dir }))).toBe(secret);
		await expect(stat(join(dir, TOKEN_SECRET_FILE))).rejects.toThrow(/ENOENT/);
	});

	it('generates a secret once into DATA_DIR/token-secret, owner-only, and reads the same one back after a restart', async () => {
		const dir = join(await dataDir(), 'not-yet-made');
		const first = await tokenSecret({ dataDir: dir });
		expect(first.byteLength).toBeGreaterThanOrEqual(32);
		const file = join(dir, TOKEN_SECRET_FILE);
		expect((await stat(file)).mode & 0o777).toBe(0o600);
		expect((await readFile(file, 'utf8')).trim()).toBe(decode(first));

		const second = await tokenSecret({ dataDir: dir });
		expect(decode(second)).toBe(decode(first));
		expect(decode(await tokenSecret({ dataDir: await dataDir() }))).not.toBe(decode(first));
	});

	it('makes a loosened secret file owner-only again', async () => {
		const dir = await dataDir();
		await tokenSecret({ dataDir: dir });
		await chmod(join(dir, TOKEN_SECRET_FILE), 0o644);
		await tokenSecret({ dataDir: dir });
		expect((await stat(join(dir, TOKEN_SECRET_FILE))).mode & 0o777).toBe(0o600);
	});

	it('refuses a secret file too short to sign with', async () => {
		const dir = await dataDir();
		await writeFile(join(dir, TOKEN_SECRET_FILE), 'short\n', { mode: 0o600 });
		await expect(tokenSecret({ dataDir: dir })).rejects.toThrow(/fewer than 32 bytes/);
	});
});
