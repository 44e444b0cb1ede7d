/**
 * Publishes the courses named in PUBLISH_COURSES when the server starts: bundles as they are, and
 * course folders built on the spot — signed with this server's own key for their publisher
 * (`DATA_DIR/keys/<publisher>.key`, made and trusted on first use). That is how `npm start`
 * serves the sample course on a laptop with nothing to set up. A real publisher signs elsewhere.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { generatePublisherKeys } from '../../../src/lib/course-format/signature.js';
import { buildBundle } from '../course-cli/build-bundle.js';
import { readCourseSource } from '../course-cli/course-source.js';
import { CourseSourceError } from '../course-cli/source-problems.js';
import { PublishError, type CourseLibrary } from './course-library.js';

async function newestChange(path: string): Promise<number> {
	const info = await stat(path);
	if (!info.isDirectory()) return info.mtimeMs;
	const times = await Promise.all((await readdir(path)).map((name) => newestChange(join(path, name))));
	return Math.max(info.mtimeMs, ...times);
}

async function localPublisherKey(dataDir: string, publisher: string): Promise<string> {
	const keyFile = join(dataDir, 'keys', `${publisher}.key`);
	const existing = await readFile(keyFile, 'utf8').catch(() => undefined);
	if (existing) return existing.trim();
	const trustedKey = join(dataDir, 'publishers', `${publisher}.pub`);
	if (await stat(trustedKey).then(() => true, () => false)) {
		// Never replace a key that is trusted already: that publisher signs its own bundles.
		throw new PublishError('unknown_publisher', `publisher "${publisher}" is trusted with a key this server does not hold: publish a bundle signed by that publisher instead of its folder`);
	}
	const keys = await generatePublisherKeys();
	await mkdir(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
	await writeFile(keyFile, `${keys.privateKey}\n`, { mode: 0o600, flag: 'wx' });
	await writeFile(trustedKey, `${keys.publicKey}\n`, { flag: 'wx' });
	return keys.privateKey;
}

async function bundleOf(path: string, dataDir: string): Promise<Uint8Array> {
	if (!(await stat(path)).isDirectory()) return new Uint8Array(await readFile(path));
	const { course } = await readCourseSource(path);
	const privateKey = await localPublisherKey(dataDir, course.publisher);
	// Dated by its sources, so an unchanged folder rebuilds to the very same bundle on every start.
	const createdAt = new Date(Math.floor((await newestChange(path)) / 1000) * 1000);
	return (await buildBundle(path, { privateKey, createdAt })).zip;
}

export async function publishOnStart(library: CourseLibrary, paths: readonly string[], dataDir: string, log: FastifyBaseLogger): Promise<void> {
	for (const path of paths) {
		try {
			const { status, manifest } = await library.publish(await bundleOf(path, dataDir));
			log.info({ course: manifest.id, version: manifest.version, status }, `course ${manifest.id} v${manifest.version} ${status}`);
		} catch (error) {
			if (error instanceof PublishError && error.code === 'version_conflict') {
				log.warn({ path }, `${error.message}; still serving the version already published`);
			} else if (error instanceof CourseSourceError || error instanceof PublishError) {
				log.error({ path, problems: error.message.split('\n') }, `could not publish ${path}`);
			} else {
				throw error;
			}
		}
	}
}
