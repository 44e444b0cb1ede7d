/** The sample course as tests need it: served by a server of their own, and a v2 to publish. */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILD_DIR } from './deploy';
import { freePort, ServerProcess } from './server-process';

export const SAMPLE_DIR = join(process.cwd(), 'courses', 'public-procurement-essentials');
export const ADMIN_TOKEN = 'e2e-admin-token-long-enough-to-pass';

export interface CourseServer {
	server: ServerProcess;
	dataDir: string;
}

/** A sync-server of its own with the sample course (and any other course folders) published. */
export async function startCourseServer(extraCourses: string[] = []): Promise<CourseServer> {
	const dataDir = await mkdtemp(join(tmpdir(), 'sikho-courses-'));
	const server = await ServerProcess.start({
		port: await freePort(),
		appDir: BUILD_DIR,
		dataDir,
		env: { PUBLISH_COURSES: [SAMPLE_DIR, ...extraCourses].join(','), ADMIN_TOKEN }
	});
	return { server, dataDir };
}

/** Version 2 of the sample course with one lesson's English text changed, built and published. */
export async function publishVersionWithOneChangedLesson({ server, dataDir }: CourseServer, lessonFile: string): Promise<void> {
	const source = await mkdtemp(join(tmpdir(), 'sikho-v2-'));
	await cp(SAMPLE_DIR, source, { recursive: true });
	const courseYaml = join(source, 'course.yaml');
	await writeFile(courseYaml, (await readFile(courseYaml, 'utf8')).replace(/^version: 1$/m, 'version: 2'));
	const lesson = join(source, lessonFile);
	await writeFile(lesson, `${await readFile(lesson, 'utf8')}\n## What changed in version 2\n\nA new paragraph.\n`);

	const { buildBundle } = await import('../../sync-server/src/course-cli/build-bundle');
	const privateKey = (await readFile(join(dataDir, 'keys', 'sikho-sample.key'), 'utf8')).trim();
	const { zip } = await buildBundle(source, { privateKey });
	const response = await fetch(`${server.url}/api/courses`, {
		method: 'POST',
		headers: { 'content-type': 'application/zip', authorization: `Bearer ${ADMIN_TOKEN}` },
		body: Buffer.from(zip)
	});
	if (response.status !== 201) throw new Error(`publishing v2 failed: ${response.status} ${await response.text()}`);
}
