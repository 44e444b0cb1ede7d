import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { COURSE_YAML, writeCourse } from '../../test-support/course-fixture.js';
import { runCourseCli } from './main.js';

async function run(...args: string[]): Promise<{ code: number; output: string }> {
	const lines: string[] = [];
	const code = await runCourseCli(args, (line) => lines.push(line));
	return { code, output: lines.join('\n') };
}

/** A work folder with a publisher's keys and the tiny course built and signed with them. */
async function signedTinyBundle(): Promise<{ work: string; keys: string; bundle: string }> {
	const work = await mkdtemp(join(tmpdir(), 'sikho-cli-'));
	const keys = join(work, 'keys');
	await run('keygen', 'test-publisher', '--keys', keys);
	const bundle = join(work, 'tiny.zip');
	await run('build', await writeCourse(), bundle, '--keys', keys);
	return { work, keys, bundle };
}

describe('npm run course', () => {
	it('keygen, build and verify a course end to end', async () => {
		const work = await mkdtemp(join(tmpdir(), 'sikho-cli-'));
		const keys = join(work, 'keys');
		const course = await writeCourse();
		const bundle = join(work, 'tiny.zip');

		const keygen = await run('keygen', 'test-publisher', '--keys', keys);
		expect(keygen.code).toBe(0);
		expect(keygen.output).toMatch(/public key: [A-Za-z0-9+/]{43}=/);

		const build = await run('build', course, bundle, '--keys', keys);
		expect(build.code).toBe(0);
		expect(build.output).toMatch(/built .*tiny\.zip: tiny-course v1, 9 files/);
		expect(build.output).toMatch(/ {2}hi: [\d.]+ KB to download/);

		const verify = await run('verify', bundle, '--keys', keys);
		expect(verify).toEqual({ code: 0, output: 'ok: tiny-course v1 by test-publisher, signature and 9 files verified' });

		// One changed byte in one lesson, and the bundle is refused with the reason.
		const entries = unzipSync(new Uint8Array(await readFile(bundle)));
		entries['lessons/intro.en.html'] = new TextEncoder().encode('<p>tampered</p>');
		await writeFile(bundle, zipSync(entries));
		const tampered = await run('verify', bundle, '--keys', keys);
		expect(tampered.code).toBe(1);
		expect(tampered.output).toContain('refused (hash_mismatch): lessons/intro.en.html');

		expect((await run('keygen', 'test-publisher', '--keys', keys)).code).toBe(1);
	});

	it('packs a bundle and a course folder into one district bundle, each verified, in the languages asked for', async () => {
		const { work, keys, bundle } = await signedTinyBundle();
		const other = await writeCourse({ 'course.yaml': COURSE_YAML.replace('id: tiny-course', 'id: other-course') });
		const district = join(work, 'district.zip');

		const packed = await run('district', district, bundle, other, '--language', 'hi', '--keys', keys);
		expect(packed).toEqual({ code: 0, output: `wrote ${district}: 2 courses, each verified\n  tiny-course v1 by test-publisher (hi)\n  other-course v1 by test-publisher (hi)` });
		const entries = Object.keys(unzipSync(new Uint8Array(await readFile(district))));
		expect(entries[0]).toBe('district.json');
		expect(entries.some((name) => name.includes('.en.'))).toBe(false);
		expect((await run('verify', district, '--keys', keys)).output).toMatch(/^ok: tiny-course v1 .*\nok: other-course v1 /);
		// A district bundle is an input like any other: its courses are packed again.
		const again = join(work, 'again.zip');
		expect((await run('district', again, district, '--keys', keys)).output).toBe(`wrote ${again}: 2 courses, each verified\n  tiny-course v1 by test-publisher (hi)\n  other-course v1 by test-publisher (hi)`);

		// A bundle the trusted keys do not verify is not packed.
		const stranger = join(work, 'stranger');
		await run('keygen', 'test-publisher', '--keys', stranger);
		const refused = await run('district', join(work, 'bad.zip'), bundle, '--keys', stranger);
		expect(refused.code).toBe(1);
		expect(refused.output).toContain('refused (bad_signature)');
	});

	it('trusts the keys shipped with the app, and packs the signed sample bundle with no keys of its own', async () => {
		const work = await mkdtemp(join(tmpdir(), 'sikho-cli-'));
		const district = join(work, 'district.zip');
		const sample = join(process.cwd(), 'courses', 'public-procurement-essentials.zip');
		const packed = await run('district', district, sample, '--language', 'en', '--keys', join(work, 'no-keys'));
		expect(packed).toEqual({ code: 0, output: `wrote ${district}: 1 course, each verified\n  public-procurement-essentials v1 by sikho-sample (en)` });
		expect((await run('verify', district, '--keys', join(work, 'no-keys'))).code).toBe(0);
	});

	it('writes no district file when a course is given twice, lacks the languages, or a file does not match its hash', async () => {
		const { work, keys, bundle } = await signedTinyBundle();
		const district = join(work, 'district.zip');

		expect(await run('district', district, bundle, bundle, '--keys', keys)).toEqual({ code: 1, output: `refused: tiny-course is given twice (${bundle})` });
		expect(await run('district', district, bundle, '--language', 'fr', '--keys', keys)).toEqual({ code: 1, output: `refused: tiny-course (${bundle}) carries none of the languages fr` });

		// Signed as it was, one byte changed since: found only as the file is copied, after writing began.
		const entries = unzipSync(new Uint8Array(await readFile(bundle)));
		const lesson = entries['lessons/intro.hi.html']!;
		lesson[0] = lesson[0]! ^ 1;
		const tampered = join(work, 'tampered.zip');
		await writeFile(tampered, zipSync(entries));
		const refused = await run('district', district, tampered, '--keys', keys);
		expect(refused.code).toBe(1);
		expect(refused.output).toContain('refused (hash_mismatch): lessons/intro.hi.html');
		expect(await readdir(work)).toEqual(['keys', 'tampered.zip', 'tiny.zip']);
	});

	it('prints every source problem with file and line and exits 1', async () => {
		const work = await mkdtemp(join(tmpdir(), 'sikho-cli-'));
		await run('keygen', 'test-publisher', '--keys', join(work, 'keys'));
		const course = await writeCourse({ 'lessons/en/listen.md': null, 'quizzes/check.yaml': 'questions: [' });
		const result = await run('build', course, join(work, 'x.zip'), '--keys', join(work, 'keys'));
		expect(result.code).toBe(1);
		expect(result.output).toContain('course.yaml:23: modules.0.lessons.1.transcript.en: file not found: lessons/en/listen.md');
		expect(result.output).toMatch(/quizzes\/check\.yaml:1: broken YAML/);
	});

	it('explains its usage when called wrongly, with exit code 2', async () => {
		for (const args of [[], ['bake'], ['build', 'only-one-arg'], ['verify', '--nonsense']]) {
			const result = await run(...args);
			expect(result.code, args.join(' ')).toBe(2);
			expect(result.output).toContain('usage: npm run course -- keygen');
		}
	});
});
