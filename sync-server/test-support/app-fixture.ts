/**
 * A tiny stand-in for the built PWA, so server tests do not need `vite build` first.
 * It has what the server treats specially: an inline bootstrap script, hashed files,
 * pre-compressed copies and the web manifest.
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

export const BOOTSTRAP = '\n\t\t\t{ window.started = true; }\n\t\t';
export const INDEX_HTML = `<!doctype html><html><head><title>Sikho</title></head><body><div id="app"><script>${BOOTSTRAP}</script></div></body></html>`;

export const ANNOUNCER_STYLE = 'position: absolute; width: 1px';

export interface Fixture {
	appDir: string;
	dataDir: string;
}

async function put(root: string, path: string, body: string, precompress = false): Promise<void> {
	const file = join(root, path);
	await mkdir(dirname(file), { recursive: true });
	await writeFile(file, body);
	if (precompress) {
		await writeFile(`${file}.br`, brotliCompressSync(body));
		await writeFile(`${file}.gz`, gzipSync(body));
	}
}

export async function makeFixture(): Promise<Fixture> {
	const root = await mkdtemp(join(tmpdir(), 'sikho-server-'));
	const appDir = join(root, 'app');
	const dataDir = join(root, 'data');
	await mkdir(dataDir, { recursive: true });
	await put(appDir, 'index.html', INDEX_HTML, true);
	await put(appDir, '_app/immutable/entry/start.Ab12.js', `export const start = () => ${'1 + '.repeat(400)}1;`, true);
	await put(appDir, '_app/immutable/nodes/0.Cd34.js', `$.from_html('<div style="${ANNOUNCER_STYLE}"></div>')`);
	await put(appDir, 'service-worker.js', 'self.addEventListener("fetch", () => {});');
	await put(appDir, 'manifest.webmanifest', JSON.stringify({ name: 'Sikho', icons: [] }));
	return { appDir, dataDir };
}
