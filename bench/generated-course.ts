/** A large course for benchmarks: 50 text lessons in 10 modules, made from the sample's texts. */
import { cp, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_DIR } from '../tests/support/sample-course';

export async function writeFiftyLessonCourse(): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), 'sikho-fifty-'));
	await cp(join(SAMPLE_DIR, 'media'), join(dir, 'media'), { recursive: true });
	const sources: string[] = [];
	for (const module of await readdir(join(SAMPLE_DIR, 'lessons', 'en'))) {
		for (const file of await readdir(join(SAMPLE_DIR, 'lessons', 'en', module))) {
			if (!file.includes('transcript')) sources.push(join('lessons', 'en', module, file));
		}
	}
	await mkdir(join(dir, 'lessons', 'en', 'generated'), { recursive: true });
	const modules: string[] = [];
	for (let m = 0; m < 10; m++) {
		const lessons: string[] = [];
		for (let l = 0; l < 5; l++) {
			const n = m * 5 + l + 1;
			const source = sources[n % sources.length]!;
			await cp(join(SAMPLE_DIR, source), join(dir, 'lessons', 'en', 'generated', `lesson-${n}.md`));
			lessons.push(`      - id: lesson-${n}\n        kind: text\n        minutes: 5\n        title: { en: "Lesson ${n}" }\n        body: { en: lessons/en/generated/lesson-${n}.md }`);
		}
		modules.push(`  - id: module-${m + 1}\n    title: { en: "Module ${m + 1}" }\n    lessons:\n${lessons.join('\n')}`);
	}
	await writeFile(
		join(dir, 'course.yaml'),
		`id: fifty-lessons\nversion: 1\npublisher: sikho-sample\nlicence: CC-BY-4.0\nlanguages: [en]\ntitle: { en: Fifty lessons }\ndescription: { en: A large course for benchmarks }\nmodules:\n${modules.join('\n')}\n`
	);
	return dir;
}
