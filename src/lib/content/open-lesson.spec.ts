import { describe, expect, it } from 'vitest';
import { signedSample, type SignedSample } from '$lib/course-format/test-support/sample-bundle';
import type { CourseFiles } from './content-reader';
import { openLesson } from './open-lesson';

/** The sample course as the phone holds it, with some files' bytes replaced. */
function phoneWith(sample: SignedSample, replaced: Record<string, string>): CourseFiles {
	const byPath = new Map(sample.manifest.files.map((f) => [f.sha256, f.path]));
	return {
		course: async () => ({
			id: 'sample-course',
			version: 1,
			manifestText: new TextDecoder().decode(sample.manifestBytes),
			signature: sample.signature,
			languages: ['en'],
			installedAt: '2026-11-22T00:00:00.000Z',
			source: 'download'
		}),
		blobs: async (shas) =>
			shas.map((sha) => {
				const path = byPath.get(sha)!;
				return new Blob([path in replaced ? replaced[path]! : (sample.files.get(path)! as BlobPart)]);
			})
	};
}

describe('a broken quiz on the phone', () => {
	it('is reported for that quiz alone, whether its JSON or its questions are wrong', async () => {
		const sample = await signedSample();
		const quizPath = sample.manifest.files.find((f) => f.path.startsWith('quizzes/') && f.path.includes('.en.'))!.path;
		for (const broken of ['{"questions": [', '{"lessonId": "check", "questions": "none"}']) {
			const phone = phoneWith(sample, { [quizPath]: broken });
			const quiz = await openLesson(phone, 'sample-course', 'check', 'en');
			expect(quiz.quiz).toBeUndefined();
			expect(quiz.quizProblem).toBeTruthy();
			// The rest of the course still opens.
			expect((await openLesson(phone, 'sample-course', 'intro', 'en')).html).toContain('Hello');
		}
		const valid = JSON.stringify({
			lessonId: 'check',
			language: 'en',
			passMark: 70,
			questions: [{ id: 'q1', type: 'true-false', prompt: 'Publish the award?', answer: true, feedback: { true: 'Yes.', false: 'It is published.' } }]
		});
		expect((await openLesson(phoneWith(sample, { [quizPath]: valid }), 'sample-course', 'check', 'en')).quiz?.questions).toHaveLength(1);
	});
});
