import type { Page } from '@playwright/test';
import { parseManifest, type Manifest } from '../src/lib/course-format/manifest';
import type { Quiz } from '../src/lib/course-format/quiz';
import { expect, test } from './support/fixtures';
import { fillNewLearner } from './support/learners';
import { QuizTaker } from './support/quiz-taker';
import { startCourseServer, type CourseServer } from './support/sample-course';

const COURSE = 'Public Procurement Essentials';
const COURSE_ID = 'public-procurement-essentials';

let courses: CourseServer;

test.beforeEach(async () => {
	courses = await startCourseServer();
});

test.afterEach(async () => {
	await courses.server.stop();
});

/** The course's English quizzes as the phone stores them: the answer key for the test learner. */
async function englishQuizzes(page: Page): Promise<{ manifest: Manifest; quizzes: Map<string, Quiz> }> {
	const { manifest: text } = await (await page.request.get(`${courses.server.url}/api/courses/${COURSE_ID}`)).json();
	const manifest = parseManifest(JSON.parse(text));
	const quizzes = new Map<string, Quiz>();
	for (const lesson of manifest.modules.flatMap((m) => m.lessons)) {
		if (lesson.kind !== 'quiz') continue;
		const sha = manifest.files.find((f) => f.path === lesson.content.en!.quiz)!.sha256;
		quizzes.set(lesson.id, await (await page.request.get(`${courses.server.url}/content/${sha}`)).json());
	}
	return { manifest, quizzes };
}

async function openLesson(page: Page, lessonId: string) {
	await page.goto(`${courses.server.url}/courses/${COURSE_ID}/lessons/${lessonId}`);
}

test('a learner studies the whole course offline, survives a closed tab mid-quiz, earns a certificate the server confirms once online; a second learner sees none of it', async ({ page, context, sikho }) => {
	test.setTimeout(180_000);
	await page.goto(`${courses.server.url}/catalog`);
	await sikho.waitUntilOfflineReady();
	const { manifest, quizzes } = await englishQuizzes(page);
	const card = page.getByRole('region', { name: COURSE });
	await card.getByRole('button', { name: /^Download/ }).click();
	await expect(card.getByText('On this phone: works without internet.')).toBeVisible();

	// From here on, no network at all.
	await context.setOffline(true);
	await page.goto(`${courses.server.url}/`);
	await page.getByRole('link', { name: 'Create my profile' }).click();
	await fillNewLearner(page, 'Asha Devi', 'Sitapur');

	let tab = page;
	for (const lesson of manifest.modules.flatMap((m) => m.lessons)) {
		await openLesson(tab, lesson.id);
		await expect(tab.getByRole('heading', { level: 1, name: lesson.title.en })).toBeVisible();
		if (lesson.kind === 'text') {
			await tab.locator('.lesson-end').scrollIntoViewIfNeeded();
			await expect(tab.getByText('✓ Done')).toBeVisible();
		} else if (lesson.kind === 'audio') {
			// Heard to the end, fast and muted (a learner would listen at normal speed).
			await tab.locator('audio').evaluate(async (audio: HTMLAudioElement) => {
				audio.muted = true;
				audio.playbackRate = 16;
				await audio.play();
				await new Promise((resolve) => audio.addEventListener('ended', resolve, { once: true }));
			});
			await expect(tab.getByText('✓ Done')).toBeVisible();
		} else {
			const quiz = quizzes.get(lesson.id)!;
			const taker = new QuizTaker(tab);
			await tab.getByRole('button', { name: 'Start the quiz' }).click();
			const half = Math.ceil(quiz.questions.length / 2);
			for (let i = 0; i < half; i++) await taker.answer(quiz, i);

			if (lesson.id === 'principles-quiz') {
				// The tab is closed mid-quiz; a new one opens the quiz with every answer in place.
				await tab.close();
				tab = await context.newPage();
				await openLesson(tab, lesson.id);
				await expect(tab.getByRole('status').filter({ hasText: `${half} of ${quiz.questions.length} answered` })).toBeVisible();
				await expect(tab.getByRole('radio', { checked: true }).first()).toBeVisible();
			}
			for (let i = half; i < quiz.questions.length; i++) await new QuizTaker(tab).answer(quiz, i);
			await tab.getByRole('button', { name: 'Submit answers' }).click();
			await expect(tab.getByRole('heading', { name: 'Passed' })).toBeVisible();
			await expect(tab.getByText(`${quiz.questions.length} of ${quiz.questions.length} correct · 100%`)).toBeVisible();
		}
	}

	await tab.goto(`${courses.server.url}/courses/${COURSE_ID}`);
	await expect(tab.getByText('16 of 16 lessons done')).toBeVisible();
	await tab.getByRole('link', { name: 'See your certificate' }).click();
	const certificate = tab.getByRole('article', { name: 'Certificate of completion' });
	await expect(certificate).toContainText('Asha Devi');
	await expect(certificate).toContainText(COURSE);
	await expect(certificate).toContainText('Provisional');
	await expect(certificate).toContainText('100%');

	// Back online, Asha backs up; the server re-scores her attempts and confirms the certificate.
	await context.setOffline(false);
	await tab.goto(`${courses.server.url}/account`);
	await tab.getByRole('textbox', { name: 'Username' }).fill(`asha-${Date.now()}`);
	await tab.getByLabel('Password').fill('a long password for asha');
	await tab.getByRole('button', { name: 'Back up my progress' }).click();
	await expect(tab.getByRole('status').filter({ hasText: 'Backup:' })).toContainText('Backed up');
	await tab.goto(`${courses.server.url}/courses/${COURSE_ID}/certificate`);
	await expect(certificate).toContainText('Verified');
	await expect(certificate).not.toContainText('Provisional');
	await expect(certificate.getByRole('img', { name: 'QR code for checking this certificate online' })).toBeVisible();
	const verifyLink = certificate.getByRole('link', { name: /\/verify\// });
	const verifyPage = await context.newPage();
	await verifyPage.goto((await verifyLink.getAttribute('href'))!);
	await expect(verifyPage.getByText('Asha Devi')).toBeVisible();
	await expect(verifyPage.getByText(COURSE).first()).toBeVisible();
	await verifyPage.close();
	await context.setOffline(true);

	// Another person on the same phone sees none of Asha's progress.
	await tab.goto(`${courses.server.url}/learners`);
	await tab.getByRole('button', { name: 'Hand the phone to someone else' }).click();
	await tab.getByRole('link', { name: 'Add a learner' }).click();
	await fillNewLearner(tab, 'Ravi Kumar', 'Barabanki');
	await tab.goto(`${courses.server.url}/courses/${COURSE_ID}`);
	await expect(tab.getByText('0 of 16 lessons done')).toBeVisible();
	await expect(tab.getByRole('link', { name: 'See your certificate' })).toHaveCount(0);
	await openLesson(tab, 'principles-quiz');
	await expect(tab.getByRole('button', { name: 'Start the quiz' })).toBeVisible();
	await expect(tab.getByRole('heading', { name: 'Your attempts' })).toHaveCount(0);
});
