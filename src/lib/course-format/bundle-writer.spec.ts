import { describe, expect, it } from 'vitest';
import { signedCourse, type SignedCourse } from '../../../tests/support/hostile-bundles';
import { openBundleFile } from './bundle-reader';
import { writeBundle, type CourseToWrite } from './bundle-writer';
import { sha256Hex } from './bytes';
import { generatePublisherKeys } from './signature';

const toWrite = (course: SignedCourse, only?: (path: string) => boolean): CourseToWrite => ({
	manifestText: course.manifestText,
	signature: course.signature,
	files: course.manifest.files.filter((f) => !only || only(f.path)).map((f) => ({ path: f.path, data: () => new Blob([course.files[f.path] as BlobPart]) }))
});

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe('writeBundle', () => {
	it('writes a course that the reader opens and verifies, the same bytes every time', async () => {
		const keys = await generatePublisherKeys();
		const course = await signedCourse(keys);
		const zip = await bytesOf(writeBundle([toWrite(course)]));
		expect(await sha256Hex(await bytesOf(writeBundle([toWrite(course)])))).toBe(await sha256Hex(zip));
		const bundle = await openBundleFile(new Blob([zip as BlobPart]), { 'test-publisher': keys.publicKey });
		expect(bundle.kind).toBe('course');
		expect(bundle.courses[0]!.manifestText).toBe(course.manifestText);
		expect(bundle.courses[0]!.languages).toEqual(['en', 'hi']);
		for (const entry of bundle.courses[0]!.files) await bundle.readFile(bundle.courses[0]!, entry, () => undefined);
	});

	it('writes a district bundle of several courses, one of them in one language', async () => {
		const keys = await generatePublisherKeys();
		const first = await signedCourse(keys);
		const second = await signedCourse(keys, {}, { id: 'second-course', version: 2 });
		const zip = await bytesOf(writeBundle([toWrite(first), toWrite(second, (path) => !path.includes('.en.'))]));
		const bundle = await openBundleFile(new Blob([zip as BlobPart]), { 'test-publisher': keys.publicKey });
		expect(bundle.kind).toBe('district');
		expect(bundle.courses.map((c) => [c.manifest.id, c.manifest.version, c.languages])).toEqual([
			['sample-course', 1, ['en', 'hi']],
			['second-course', 2, ['hi']]
		]);
	});

	it('reads files only as the stream is read', async () => {
		const keys = await generatePublisherKeys();
		const course = await signedCourse(keys);
		const opened: string[] = [];
		const lazy: CourseToWrite = { ...toWrite(course), files: toWrite(course).files.map((f) => ({ path: f.path, data: () => (opened.push(f.path), f.data()) })) };
		const reader = writeBundle([lazy]).getReader();
		await reader.read();
		expect(opened.length).toBeLessThan(course.manifest.files.length);
		await reader.cancel();
	});
});
