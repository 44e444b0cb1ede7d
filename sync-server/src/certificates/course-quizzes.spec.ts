import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatePublisherKeys } from '../../../src/lib/course-format/signature.js';
import { COURSE_YAML, QUIZ_YAML, writeCourse } from '../../test-support/course-fixture.js';
import { buildBundle } from '../course-cli/build-bundle.js';
import { CourseLibrary } from '../courses/course-library.js';
import { libraryQuizzes, type CourseQuizzes } from './course-quizzes.js';

let courses: CourseQuizzes;

/** Which option the published quiz marks correct. */
const correctOption = (quiz: Awaited<ReturnType<CourseQuizzes['quiz']>>) => {
	const pick = quiz?.questions.find((q) => q.id === 'pick');
	return pick?.type === 'single' ? pick.options.find((o) => o.correct)?.id : undefined;
};

beforeAll(async () => {
	const dataDir = await mkdtemp(join(tmpdir(), 'sikho-certificates-'));
	const keys = await generatePublisherKeys();
	await mkdir(join(dataDir, 'publishers'), { recursive: true });
	await writeFile(join(dataDir, 'publishers', 'test-publisher.pub'), keys.publicKey);
	const library = await CourseLibrary.open(dataDir);
	const publish = async (changes: Record<string, string>) => (await library.publish((await buildBundle(await writeCourse(changes), { privateKey: keys.privateKey })).zip)).status;
	expect(await publish({})).toBe('published');
	// Version 2 corrects the answer key: "b" is now the right option.
	const fixed = QUIZ_YAML.replace('        correct: true\n', '').replace("        text: { en: Wrong, hi: गलत }\n", '        text: { en: Wrong, hi: गलत }\n        correct: true\n');
	expect(await publish({ 'course.yaml': COURSE_YAML.replace('version: 1', 'version: 2'), 'quizzes/check.yaml': fixed })).toBe('published');
	// A fresh library, as after a restart: only the latest version is in memory.
	courses = libraryQuizzes(await CourseLibrary.open(dataDir));
});

describe('the answer keys the server holds', () => {
	it('gives the quiz of the version and language an attempt was taken in', async () => {
		expect(courses.latest('tiny-course')?.version).toBe(2);
		const v1 = await courses.quiz('tiny-course', { lessonId: 'check', courseVersion: 1, language: 'hi' });
		expect(v1).toMatchObject({ lessonId: 'check', language: 'hi' });
		expect(correctOption(v1)).toBe('a');
		expect(correctOption(await courses.quiz('tiny-course', { lessonId: 'check', courseVersion: 2, language: 'en' }))).toBe('b');
	});

	it('falls back to the latest version for one it never had, and has nothing for other lessons, languages or courses', async () => {
		expect(correctOption(await courses.quiz('tiny-course', { lessonId: 'check', courseVersion: 7, language: 'en' }))).toBe('b');
		expect(await courses.quiz('tiny-course', { lessonId: 'intro', courseVersion: 2, language: 'en' })).toBeUndefined();
		expect(await courses.quiz('tiny-course', { lessonId: 'check', courseVersion: 2, language: 'ta' })).toBeUndefined();
		expect(await courses.quiz('other-course', { lessonId: 'check', courseVersion: 1, language: 'en' })).toBeUndefined();
		expect(courses.latest('other-course')).toBeUndefined();
	});
});
