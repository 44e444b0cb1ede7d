import { beforeAll, describe, expect, it } from 'vitest';
import { generatePublisherKeys, type PublisherKeyPair } from '../../../src/lib/course-format/signature.js';
import { BundleError } from '../../../src/lib/course-format/verify.js';
import { COURSE_YAML, QUIZ_YAML, writeCourse } from '../../test-support/course-fixture.js';
import { buildBundle } from './build-bundle.js';
import { openBundle } from './open-bundle.js';
import { CourseSourceError, formatProblem } from './source-problems.js';

let keys: PublisherKeyPair;
const createdAt = new Date('2026-11-22T00:00:00Z');
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

beforeAll(async () => {
	keys = await generatePublisherKeys();
});

async function problemsBuilding(changes: Record<string, string | null>): Promise<string[]> {
	try {
		await buildBundle(await writeCourse(changes), { privateKey: keys.privateKey, createdAt });
	} catch (error) {
		if (error instanceof CourseSourceError) return error.problems.map(formatProblem);
		throw error;
	}
	throw new Error('the build was expected to fail');
}

describe('buildBundle', () => {
	it('builds a signed bundle that verifies, with every lesson kind in every language', async () => {
		const built = await buildBundle(await writeCourse(), { privateKey: keys.privateKey, createdAt });
		const opened = await openBundle(built.zip, { 'test-publisher': keys.publicKey });
		expect(opened.manifest).toEqual(built.manifest);
		expect(opened.manifest.modules[0]!.lessons.map((l) => l.kind)).toEqual(['text', 'audio', 'quiz']);
		expect([...opened.files.keys()].sort()).toEqual([
			'lessons/intro.en.html',
			'lessons/intro.hi.html',
			'lessons/listen.en.html',
			'lessons/listen.hi.html',
			'media/listen.en.ogg',
			'media/listen.hi.ogg',
			'media/stages.png',
			'quizzes/check.en.json',
			'quizzes/check.hi.json'
		]);
	});

	it('renders Markdown to sanitised HTML with images pointing into the bundle', async () => {
		const built = await buildBundle(await writeCourse(), { privateKey: keys.privateKey, createdAt });
		const html = text(built.files.get('lessons/intro.en.html'));
		expect(html).toContain('<h2>Hello</h2>');
		expect(html).toContain('<img src="media/stages.png" alt="Five stages" />');
		expect(html).not.toContain('<script');
		expect(html).toContain('<a href="https://www.open-contracting.org" rel="noopener noreferrer" target="_blank">Read more</a>');
		expect(built.manifest.modules[0]!.lessons[0]!.content['hi']).toEqual({ html: 'lessons/intro.hi.html', media: ['media/stages.png'] });
	});

	it('writes each quiz once per language with that language’s text and the answer keys', async () => {
		const built = await buildBundle(await writeCourse(), { privateKey: keys.privateKey, createdAt });
		const hindi = JSON.parse(text(built.files.get('quizzes/check.hi.json')));
		expect(hindi).toMatchObject({ lessonId: 'check', language: 'hi', passMark: 60 });
		expect(hindi.questions[0]).toMatchObject({ prompt: 'एक चुनें', options: [{ id: 'a', correct: true, feedback: 'हाँ' }, { id: 'b', correct: false }] });
		expect(hindi.questions[1].accepted).toEqual(['OCDS', 'ओसीडीएस']);
	});

	it('gives the same bytes for the same source, key and time', async () => {
		const dir = await writeCourse();
		const [a, b] = await Promise.all([buildBundle(dir, { privateKey: keys.privateKey, createdAt }), buildBundle(dir, { privateKey: keys.privateKey, createdAt })]);
		expect(Buffer.from(a.zip).equals(Buffer.from(b.zip))).toBe(true);
	});

	it('dates the zip’s entries in UTC, so a build in another time zone gives the same bytes', async () => {
		const { zip } = await buildBundle(await writeCourse(), { privateKey: keys.privateKey, createdAt: new Date('2026-11-22T19:45:30Z') });
		// The first local header's DOS time (offset 10) and date (offset 12).
		const time = zip[10]! | (zip[11]! << 8);
		const date = zip[12]! | (zip[13]! << 8);
		expect([time >> 11, (time >> 5) & 63, (time & 31) * 2, 1980 + (date >> 9), (date >> 5) & 15, date & 31]).toEqual([19, 45, 30, 2026, 11, 22]);
	});
});

describe('buildBundle refuses a broken course folder, naming file and line', () => {
	it('a missing lesson file', async () => {
		expect(await problemsBuilding({ 'lessons/hi/intro.md': null })).toEqual([
			'course.yaml:17: modules.0.lessons.0.body.hi: file not found: lessons/hi/intro.md'
		]);
	});

	it('broken YAML', async () => {
		const problems = await problemsBuilding({ 'course.yaml': COURSE_YAML.replace('passMark: 60', 'passMark: [60') });
		expect(problems[0]).toMatch(/^course\.yaml:\d+: broken YAML/);
	});

	it('an unknown lesson kind', async () => {
		expect(await problemsBuilding({ 'course.yaml': COURSE_YAML.replace('kind: audio', 'kind: video') })).toEqual([
			'course.yaml:19: modules.0.lessons.1.kind: unknown lesson kind "video" (expected text, audio, quiz)'
		]);
	});

	it('an unknown question type', async () => {
		expect(await problemsBuilding({ 'quizzes/check.yaml': QUIZ_YAML.replace('type: text', 'type: essay') })).toEqual([
			'quizzes/check.yaml:14: questions.1.type: unknown question type "essay" (expected single, multiple, true-false, numeric, text, matching, ordering)'
		]);
	});

	it('a question that is wrong for its type', async () => {
		const twoRight = QUIZ_YAML.replace("feedback: { en: No, hi: नहीं }", "feedback: { en: No, hi: नहीं }\n        correct: true");
		expect(await problemsBuilding({ 'quizzes/check.yaml': twoRight })).toEqual([
			'quizzes/check.yaml:6: questions.0.options: a single-choice question has exactly one correct option'
		]);
	});

	it('a text missing in one language', async () => {
		expect(await problemsBuilding({ 'course.yaml': COURSE_YAML.replace('title: { en: Listen, hi: सुनिए }', 'title: { en: Listen }') })).toEqual([
			'course.yaml:21: modules.0.lessons.1.title: missing language "hi"'
		]);
	});

	it('an image without alt text, one outside the folder and one that is missing', async () => {
		const markdown = '## A\n\n![](../../media/stages.png)\n\n![Secret](../../../secret.png)\n\n![Gone](../../media/gone.png)\n';
		expect(await problemsBuilding({ 'lessons/en/intro.md': markdown })).toEqual([
			'lessons/en/intro.md:3: image "../../media/stages.png": needs alt text (what the picture shows, for those who cannot see it)',
			'lessons/en/intro.md:5: image "../../../secret.png": is outside the course folder',
			'lessons/en/intro.md:7: image "../../media/gone.png": file not found: media/gone.png'
		]);
	});

	it('a top-level heading in a lesson', async () => {
		expect(await problemsBuilding({ 'lessons/en/listen.md': '# Title\n\nText\n' })).toEqual([
			'lessons/en/listen.md:1: use "##" for headings: the lesson title is the page heading'
		]);
	});
});

describe('openBundle', () => {
	it('refuses a tampered file, an unknown publisher and something that is not a zip', async () => {
		const built = await buildBundle(await writeCourse(), { privateKey: keys.privateKey, createdAt });
		const trusted = { 'test-publisher': keys.publicKey };
		await expect(openBundle(new TextEncoder().encode('not a zip'), trusted)).rejects.toThrow(BundleError);
		await expect(openBundle(built.zip, {})).rejects.toMatchObject({ code: 'unknown_publisher' });

		const { zipSync, unzipSync } = await import('fflate');
		const entries = unzipSync(built.zip);
		entries['media/stages.png'] = new TextEncoder().encode('PNX');
		await expect(openBundle(zipSync(entries), trusted)).rejects.toMatchObject({ code: 'hash_mismatch' });
	});
});
