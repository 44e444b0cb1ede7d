import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { signedCourse, type SignedCourse } from '../../../tests/support/hostile-bundles';
import { openBundleFile } from './bundle-reader';
import { makeDistrictIndex, writeBundle, type CourseToWrite } from './bundle-writer';
import { sha256Hex } from './bytes';
import { districtIndexSchema } from './district';
import { generatePublisherKeys } from './signature';

const toWrite = (course: SignedCourse, only?: (path: string) => boolean): CourseToWrite => ({
	manifestText: course.manifestText,
	signature: course.signature,
	files: course.manifest.files
		.filter((f) => !only || only(f.path))
		.map((f) => ({ path: f.path, size: f.size, data: () => new Blob([course.files[f.path] as BlobPart]) }))
});

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The names of a zip's entries in the order they are written. */
const entryNames = (zip: Uint8Array) => Object.keys(unzipSync(zip));

describe('writeBundle', () => {
	it('writes a course that the reader opens and verifies, manifest first, the same bytes every time', async () => {
		const keys = await generatePublisherKeys();
		const course = await signedCourse(keys);
		const zip = await bytesOf(writeBundle([toWrite(course)]));
		expect(await sha256Hex(await bytesOf(writeBundle([toWrite(course)])))).toBe(await sha256Hex(zip));
		expect(entryNames(zip)).toEqual(['manifest.json', 'manifest.sig', ...course.manifest.files.map((f) => f.path)]);
		const bundle = await openBundleFile(new Blob([zip as BlobPart]), { 'test-publisher': keys.publicKey });
		expect(bundle.kind).toBe('course');
		expect(bundle.courses[0]!.manifestText).toBe(course.manifestText);
		expect(bundle.courses[0]!.languages).toEqual(['en', 'hi']);
		for (const entry of bundle.courses[0]!.files) await bundle.readFile(bundle.courses[0]!, entry, () => undefined);
	});

	it('deflates text and stores media as it is', async () => {
		const course = await signedCourse(await generatePublisherKeys());
		const zip = await bytesOf(writeBundle([toWrite(course)]));
		const methods = new Map<string, number>();
		// Local file headers: signature, then the compression method at offset 8, the name at 30.
		for (let at = 0; at + 30 < zip.length; at++) {
			if (zip[at] !== 0x50 || zip[at + 1] !== 0x4b || zip[at + 2] !== 3 || zip[at + 3] !== 4) continue;
			const nameLength = zip[at + 26]! | (zip[at + 27]! << 8);
			methods.set(new TextDecoder().decode(zip.subarray(at + 30, at + 30 + nameLength)), zip[at + 8]!);
		}
		expect(methods.get('manifest.json')).toBe(8);
		expect(methods.get('lessons/intro.en.html')).toBe(8);
		expect(methods.get('quizzes/check.hi.json')).toBe(8);
		expect(methods.get('media/stages.png')).toBe(0);
		expect(methods.get('media/listen.hi.ogg')).toBe(0);
	});

	it('dates every entry at the manifest’s createdAt in UTC, whatever the machine’s time zone', async () => {
		const course = await signedCourse(await generatePublisherKeys(), {}, { createdAt: '2026-11-22T19:45:30.000Z' });
		const zip = await bytesOf(writeBundle([toWrite(course)]));
		// The first local header's DOS time (offset 10) and date (offset 12).
		const time = zip[10]! | (zip[11]! << 8);
		const date = zip[12]! | (zip[13]! << 8);
		expect({ hours: time >> 11, minutes: (time >> 5) & 63, seconds: (time & 31) * 2 }).toEqual({ hours: 19, minutes: 45, seconds: 30 });
		expect({ year: 1980 + (date >> 9), month: (date >> 5) & 15, day: date & 31 }).toEqual({ year: 2026, month: 11, day: 22 });
	});

	it('writes a district bundle of several courses, one of them in one language, district.json first', async () => {
		const keys = await generatePublisherKeys();
		const first = await signedCourse(keys);
		const second = await signedCourse(keys, {}, { id: 'second-course', version: 2, createdAt: '2026-12-01T00:00:00.000Z' });
		const courses = [toWrite(first), toWrite(second, (path) => !path.includes('.en.'))];
		const zip = await bytesOf(writeBundle(courses));
		const names = entryNames(zip);
		expect(names.slice(0, 3)).toEqual(['district.json', 'courses/sample-course/manifest.json', 'courses/sample-course/manifest.sig']);
		expect(names.indexOf('courses/second-course/manifest.json')).toBe(3 + first.manifest.files.length);

		const index = districtIndexSchema.parse(JSON.parse(new TextDecoder().decode(unzipSync(zip)['district.json'])));
		expect(index).toEqual(makeDistrictIndex(courses));
		expect(index.createdAt).toBe('2026-12-01T00:00:00.000Z');

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
		const lazy: CourseToWrite = { ...toWrite(course), files: toWrite(course).files.map((f) => ({ ...f, data: () => (opened.push(f.path), f.data()) })) };
		const reader = writeBundle([lazy]).getReader();
		await reader.read();
		expect(opened.length).toBeLessThan(course.manifest.files.length);
		await reader.cancel();
	});

	it('streams a 50 MB file chunk by chunk, never far ahead of its reader', async () => {
		const course = await signedCourse(await generatePublisherKeys());
		const CHUNK = 64 * 1024;
		const TOTAL = 50 * 1024 * 1024;
		let produced = 0;
		const big = new ReadableStream<Uint8Array>({
			pull(controller) {
				if (produced === TOTAL) return controller.close();
				controller.enqueue(new Uint8Array(CHUNK).fill(produced / CHUNK));
				produced += CHUNK;
			}
		});
		const reader = writeBundle([{ manifestText: course.manifestText, signature: course.signature, files: [{ path: 'media/big.ogg', size: TOTAL, data: () => big }] }]).getReader();
		let received = 0;
		let chunks = 0;
		let mostAhead = 0;
		for (let next = await reader.read(); !next.done; next = await reader.read()) {
			received += next.value.length;
			chunks++;
			mostAhead = Math.max(mostAhead, produced - received);
			// A slow reader (a phone on 2G): the writer gets a whole turn of the event loop to run ahead.
			await new Promise((resolve) => setImmediate(resolve));
		}
		expect(received).toBeGreaterThan(TOTAL);
		expect(chunks).toBeGreaterThan(TOTAL / CHUNK);
		// The stream's read-ahead (256 KiB) and a chunk or two in flight; nowhere near the file.
		expect(mostAhead).toBeLessThan(1024 * 1024);
	});

	it('lets go of the file it was reading when the reader stops', async () => {
		const course = await signedCourse(await generatePublisherKeys());
		let cancelled = false;
		const endless = new ReadableStream<Uint8Array>({
			pull: (controller) => controller.enqueue(new Uint8Array(1024)),
			cancel: () => {
				cancelled = true;
			}
		});
		const reader = writeBundle([{ manifestText: course.manifestText, signature: course.signature, files: [{ path: 'media/endless.ogg', data: () => endless }] }]).getReader();
		for (let i = 0; i < 5; i++) await reader.read();
		await reader.cancel();
		expect(cancelled).toBe(true);
	});

	it('fails the stream when a file is not the size it was given', async () => {
		const course = await signedCourse(await generatePublisherKeys());
		const files = toWrite(course).files.map((f, i) => (i === 0 ? { ...f, size: f.size! + 1 } : f));
		await expect(bytesOf(writeBundle([{ ...toWrite(course), files }]))).rejects.toThrow(/bytes, not its/);
		const longer = toWrite(course).files.map((f, i) => (i === 0 ? { ...f, size: f.size! - 1 } : f));
		await expect(bytesOf(writeBundle([{ ...toWrite(course), files: longer }]))).rejects.toThrow(/longer than/);
	});
});
