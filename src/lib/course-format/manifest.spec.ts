import { describe, expect, it } from 'vitest';
import { downloadSize, filesForLanguage, ManifestError, parseManifest, type Manifest } from './manifest';
import { sampleManifest, SAMPLE_FILES } from './test-support/sample-bundle';

const problemsOf = (value: unknown): string[] => {
	try {
		parseManifest(value);
		return [];
	} catch (error) {
		if (error instanceof ManifestError) return error.problems;
		throw error;
	}
};

describe('parseManifest', () => {
	it('accepts a well-formed manifest', async () => {
		const manifest = await sampleManifest();
		expect(parseManifest(structuredClone(manifest))).toEqual(manifest);
	});

	it('refuses a format it does not know, saying so', async () => {
		expect(problemsOf({ ...(await sampleManifest()), format: 2 })).toEqual([
			'bundle format 2 is not one this version of Sikho can read (it reads 1)'
		]);
	});

	it('wants every text in every offered language, and no others', async () => {
		const manifest = await sampleManifest({ title: { en: 'Only English', fr: 'Seulement' } });
		expect(problemsOf(manifest)).toEqual(['title: missing language "hi"', 'title: language "fr" is not offered']);
	});

	it('refuses paths that could escape the bundle or are not plain', async () => {
		for (const path of ['../secret', '/etc/passwd', 'media/../x', 'Media/X.png', 'media//x', 'media/./x', 'a\\b']) {
			const manifest = await sampleManifest();
			manifest.files[0]!.path = path;
			expect(problemsOf(manifest).some((p) => p.startsWith('files.0.path')), path).toBe(true);
		}
	});

	it('refuses a file listed twice and a lesson id used twice', async () => {
		const manifest = await sampleManifest();
		manifest.files.push({ ...manifest.files[0]! });
		const module = manifest.modules[0]!;
		module.lessons.push({ ...module.lessons[0]! });
		const problems = problemsOf(manifest);
		expect(problems).toContain('files.9.path: file "lessons/intro.en.html" is listed twice');
		expect(problems).toContain('modules.0.lessons.3.id: lesson id "intro" is used twice');
	});

	it('wants every lesson file listed, and every listed file used', async () => {
		const manifest = await sampleManifest();
		manifest.files = manifest.files.filter((f) => f.path !== 'media/listen.hi.ogg');
		manifest.files.push({ path: 'media/unused.png', size: 1, sha256: 'a'.repeat(64) });
		const problems = problemsOf(manifest);
		expect(problems).toContain('modules.0.lessons.1.content.hi: "media/listen.hi.ogg" is not in files');
		expect(problems).toContain('files: "media/unused.png" is in files but no lesson uses it');
	});

	it('refuses an unknown lesson kind and a non-hex hash', async () => {
		const manifest = (await sampleManifest()) as unknown as { modules: { lessons: { kind: string }[] }[]; files: { sha256: string }[] };
		manifest.modules[0]!.lessons[0]!.kind = 'video';
		manifest.files[0]!.sha256 = 'Z'.repeat(64);
		const problems = problemsOf(manifest);
		expect(problems.some((p) => p.startsWith('modules.0.lessons.0.kind'))).toBe(true);
		expect(problems.some((p) => p.startsWith('files.0.sha256'))).toBe(true);
	});
});

describe('download size per language', () => {
	it('counts only that language’s files, and shared media once', async () => {
		const manifest: Manifest = await sampleManifest();
		const english = filesForLanguage(manifest, 'en').map((f) => f.path).sort();
		expect(english).toEqual(['lessons/intro.en.html', 'lessons/listen.en.html', 'media/listen.en.ogg', 'media/stages.png', 'quizzes/check.en.json']);
		const bytes = (paths: string[]) => paths.reduce((sum, p) => sum + new TextEncoder().encode(SAMPLE_FILES[p]).length, 0);
		expect(downloadSize(manifest, 'en')).toBe(bytes(english));
		expect(downloadSize(manifest, 'hi')).toBeGreaterThan(downloadSize(manifest, 'en'));
		expect(downloadSize(manifest, 'fr')).toBe(0);
	});
});
