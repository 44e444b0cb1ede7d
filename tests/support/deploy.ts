/**
 * Makes "the next deploy" of the built app: a copy whose service worker differs, just as a real
 * release's would. The extra code answers which deploy it is, so a test can tell the workers apart.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

export const BUILD_DIR = join(process.cwd(), 'build');

export async function makeNextDeploy(label: string): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), 'sikho-deploy-'));
	await cp(BUILD_DIR, dir, { recursive: true });
	const file = join(dir, 'service-worker.js');
	const code =
		(await readFile(file, 'utf8')) +
		`\nself.addEventListener('message', (e) => { if (e.data === 'which-deploy') e.source.postMessage(${JSON.stringify(label)}); });\n`;
	await writeFile(file, code);
	// The server prefers the pre-compressed copies, so they must change with the file.
	await writeFile(`${file}.br`, brotliCompressSync(code));
	await writeFile(`${file}.gz`, gzipSync(code));
	return dir;
}
