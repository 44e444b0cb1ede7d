/**
 * The course CLI: `npm run course -- <command>`.
 *
 *   keygen <publisher> [--keys <dir>]                 make a publisher key pair (default dir: keys/)
 *   build <course-dir> <out.zip> [--key <file>] [--created-at <time>]  build and sign a bundle (default key: keys/<publisher>.key)
 *   verify <bundle.zip> [--keys <dir>]                check manifest, signature and every file
 *   publish <bundle.zip> [--server <url>] [--token <t>]  send a bundle to a sync-server
 *   district <out.zip> <bundle.zip|course-dir>... [--language hi,en] [--keys <dir>] [--key <file>]  several courses in one file
 *     (each bundle verified with keys/*.pub and the keys shipped with the app; each folder built and signed like build)
 *
 * Exit codes: 0 done, 1 the input was refused (the reasons are printed), 2 wrong usage.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { downloadSize } from '../../../src/lib/course-format/manifest.js';
import { BundleError } from '../../../src/lib/course-format/verify.js';
import { openAsBlob } from 'node:fs';
import { openBundleFile } from '../../../src/lib/course-format/bundle-reader.js';
import { buildBundle } from './build-bundle.js';
import { DistrictError, writeDistrictBundle } from './district-bundle.js';
import { createPublisherKeys, keysToTrust, readPrivateKey } from './publisher-keys.js';
import { CourseSourceError } from './source-problems.js';
import { readCourseSource } from './course-source.js';

const USAGE = `usage: npm run course -- keygen <publisher> [--keys dir]
       npm run course -- build <course-dir> <out.zip> [--key file] [--created-at time]
       npm run course -- verify <bundle.zip> [--keys dir]
       npm run course -- publish <bundle.zip> [--server url] [--token token]
       npm run course -- district <out.zip> <bundle.zip|course-dir>... [--language hi,en] [--keys dir] [--key file]`;

class UsageError extends Error {}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export async function runCourseCli(argv: string[], out: (line: string) => void = console.log): Promise<number> {
	try {
		const { positionals, values } = parseArgs({
			args: argv,
			allowPositionals: true,
			options: { keys: { type: 'string', default: 'keys' }, key: { type: 'string' }, 'created-at': { type: 'string' }, language: { type: 'string' }, server: { type: 'string', default: 'http://127.0.0.1:8080' }, token: { type: 'string' } }
		});
		const [command, ...rest] = positionals;
		switch (command) {
			case 'keygen': {
				const [publisher] = rest;
				if (!publisher) throw new UsageError('keygen needs a publisher id');
				const keys = await createPublisherKeys(resolve(values.keys), publisher);
				out(`wrote ${join(values.keys, `${publisher}.key`)} (secret: keep it safe, never commit it) and ${publisher}.pub`);
				out(`public key: ${keys.publicKey}`);
				return 0;
			}
			case 'build': {
				const [courseDir, outFile] = rest;
				if (!courseDir || !outFile) throw new UsageError('build needs a course folder and an output file');
				const { course } = await readCourseSource(resolve(courseDir));
				const privateKey = await readPrivateKey(resolve(values.key ?? join(values.keys, `${course.publisher}.key`)));
				// A fixed build time (--created-at) rebuilds a release bundle byte for byte.
				const createdAt = values['created-at'] === undefined ? undefined : new Date(values['created-at']);
				if (createdAt && Number.isNaN(createdAt.getTime())) throw new UsageError('--created-at needs an ISO 8601 time');
				const built = await buildBundle(resolve(courseDir), { privateKey, createdAt });
				await writeFile(resolve(outFile), built.zip);
				out(`built ${outFile}: ${built.manifest.id} v${built.manifest.version}, ${built.files.size} files, ${kb(built.zip.length)}`);
				for (const language of built.manifest.languages) out(`  ${language}: ${kb(downloadSize(built.manifest, language))} to download`);
				return 0;
			}
			case 'verify': {
				const [file] = rest;
				if (!file) throw new UsageError('verify needs a bundle file');
				const bundle = await openBundleFile(await openAsBlob(resolve(file)), await keysToTrust(resolve(values.keys)));
				try {
					for (const course of bundle.courses) {
						for (const entry of course.files) await bundle.readFile(course, entry, () => undefined);
						out(`ok: ${course.manifest.id} v${course.manifest.version} by ${course.manifest.publisher}, signature and ${course.files.length} files verified`);
					}
				} finally {
					await bundle.close();
				}
				return 0;
			}
			case 'publish': {
				const [file] = rest;
				if (!file) throw new UsageError('publish needs a bundle file');
				const response = await fetch(new URL('/api/courses', values.server), {
					method: 'POST',
					headers: { 'content-type': 'application/zip', ...(values.token ? { authorization: `Bearer ${values.token}` } : {}) },
					body: await readFile(resolve(file))
				});
				const body = (await response.json().catch(() => ({}))) as { reason?: string; id?: string; version?: number };
				if (!response.ok) {
					out(`refused by ${values.server}: ${response.status} ${body.reason ?? ''}`);
					return 1;
				}
				out(`published ${body.id} v${body.version} to ${values.server}`);
				return 0;
			}
			case 'district': {
				const [outFile, ...inputs] = rest;
				if (!outFile || inputs.length === 0) throw new UsageError('district needs an output file and at least one bundle or course folder');
				const courses = await writeDistrictBundle(outFile, inputs, {
					trusted: await keysToTrust(resolve(values.keys)),
					privateKeyFor: (publisher) => readPrivateKey(resolve(values.key ?? join(values.keys, `${publisher}.key`))),
					languages: (values.language ?? '').split(',').map((l) => l.trim()).filter(Boolean)
				});
				out(`wrote ${outFile}: ${courses.length} ${courses.length === 1 ? 'course' : 'courses'}, each verified`);
				for (const { course, languages } of courses) out(`  ${course.manifest.id} v${course.manifest.version} by ${course.manifest.publisher} (${languages.join(', ')})`);
				return 0;
			}
			default:
				throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
		}
	} catch (error) {
		if (error instanceof CourseSourceError) {
			for (const line of error.message.split('\n')) out(line);
			return 1;
		}
		if (error instanceof BundleError) {
			out(`refused (${error.code}): ${error.message}`);
			return 1;
		}
		if (error instanceof DistrictError) {
			out(`refused: ${error.message}`);
			return 1;
		}
		if (error instanceof UsageError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
			out(`${error.message}\n${USAGE}`);
			return 2;
		}
		if (error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'EEXIST')) {
			out(error.message);
			return 1;
		}
		throw error;
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	process.exitCode = await runCourseCli(process.argv.slice(2));
}
