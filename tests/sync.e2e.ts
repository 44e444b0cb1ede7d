/**
 * Sync in real Chromium against the real sync-server: a learner studies offline, comes online and
 * backs up; the server then holds their events; a second browser that signs in as the same learner
 * shows the same progress; and one learner's token never opens another's database.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { fillNewLearner } from './support/learners';
import { startCourseServer, type CourseServer } from './support/sample-course';

const COURSE = 'Public Procurement Essentials';
const COURSE_ID = 'public-procurement-essentials';
const PASSWORD = 'a long password for meera';

let courses: CourseServer;

test.beforeEach(async () => {
	courses = await startCourseServer();
});

test.afterEach(async () => {
	await courses.server.stop();
});

async function downloadCourse(page: Page) {
	await page.goto(`${courses.server.url}/catalog`);
	const card = page.getByRole('region', { name: COURSE });
	await card.getByRole('button', { name: /^Download/ }).click();
	await expect(card.getByText('On this phone: works without internet.')).toBeVisible();
}

async function readToEnd(page: Page, lessonId: string) {
	await page.goto(`${courses.server.url}/courses/${COURSE_ID}/lessons/${lessonId}`);
	await page.locator('.lesson-end').scrollIntoViewIfNeeded();
	await expect(page.getByText('✓ Done')).toBeVisible();
}

const syncPill = (page: Page) => page.getByRole('status').filter({ hasText: 'Backup:' });

interface Session {
	learnerId: string;
	db: string;
	accessToken: string;
}

async function login(request: APIRequestContext, username: string, password: string): Promise<Session> {
	const answer = await request.post(`${courses.server.url}/api/auth/login`, { data: { username, password } });
	expect(answer.status()).toBe(200);
	return (await answer.json()) as Session;
}

test('a learner studies offline, backs up when online, and signs in on a second phone to the same progress', async ({ page, context, browser, sikho }) => {
	test.setTimeout(120_000);
	await page.goto(`${courses.server.url}/catalog`);
	await sikho.waitUntilOfflineReady();
	await downloadCourse(page);

	// Offline: a profile and two lessons read to the end.
	await context.setOffline(true);
	await page.goto(`${courses.server.url}/`);
	await page.getByRole('link', { name: 'Create my profile' }).click();
	await fillNewLearner(page, 'Meera Singh', 'Gaya');
	await expect(syncPill(page)).toContainText('Not backed up');
	await readToEnd(page, 'why-procurement-matters');
	await readToEnd(page, 'principles-in-practice');

	// Online again: back up from this profile.
	await context.setOffline(false);
	await page.goto(`${courses.server.url}/account`);
	const username = `meera-${Date.now()}`;
	await page.getByRole('textbox', { name: 'Username' }).fill(username);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Back up my progress' }).click();
	await expect(page.getByText('Your account is ready.')).toBeVisible();
	await expect(syncPill(page)).toContainText('Backed up');

	// The server holds what the phone recorded: both lessons completed, each event once.
	const session = await login(page.request, username, PASSWORD);
	const stored = await page.request.get(`${courses.server.url}/sync/${session.db}/_all_docs?include_docs=true&conflicts=true`, {
		headers: { authorization: `Bearer ${session.accessToken}` }
	});
	expect(stored.status()).toBe(200);
	const docs = ((await stored.json()) as { rows: Array<{ id: string; doc: { type?: string; lessonId?: string; name?: string; _conflicts?: unknown } }> }).rows.map((row) => row.doc);
	expect(docs.find((doc) => doc.name)).toMatchObject({ name: 'Meera Singh' });
	const completed = docs.filter((doc) => doc.type === 'lesson-completed').map((doc) => doc.lessonId);
	expect(completed.sort()).toEqual(['principles-in-practice', 'why-procurement-matters']);
	expect(docs.filter((doc) => doc._conflicts)).toEqual([]);

	// A second phone: download the course, sign in, and see the same progress.
	const other = await browser.newContext({ viewport: { width: 360, height: 740 } });
	try {
		const phone = await other.newPage();
		await downloadCourse(phone);
		await phone.goto(`${courses.server.url}/account/sign-in`);
		await phone.getByRole('textbox', { name: 'Username' }).fill(username);
		await phone.getByLabel('Password').fill(PASSWORD);
		await phone.getByRole('button', { name: 'Sign in' }).click();
		await expect(phone.getByText('Hello, Meera Singh')).toBeVisible();
		await phone.goto(`${courses.server.url}/courses/${COURSE_ID}`);
		await expect(phone.getByText('2 of 16 lessons done')).toBeVisible();
		await expect(syncPill(phone)).toContainText('Backed up');
	} finally {
		await other.close();
	}
});

test("one learner's token never opens another learner's database", async ({ request }) => {
	const register = async (name: string) => {
		const answer = await request.post(`${courses.server.url}/api/auth/register`, {
			data: { username: `${name}-${Date.now()}`, password: 'long enough password', name, district: 'Gaya' }
		});
		expect(answer.status()).toBe(201);
		return (await answer.json()) as Session;
	};
	const asha = await register('asha');
	const ravi = await register('ravi');
	const asAsha = { authorization: `Bearer ${asha.accessToken}` };
	for (const path of ['', '/_all_docs', '/_changes?feed=longpoll', '/profile', '/_local/checkpoint']) {
		expect((await request.get(`${courses.server.url}/sync/${ravi.db}${path}`, { headers: asAsha })).status()).toBe(403);
	}
	const write = await request.post(`${courses.server.url}/sync/${ravi.db}/_bulk_docs`, { headers: asAsha, data: { docs: [], new_edits: false } });
	expect(write.status()).toBe(403);
	expect(await write.json()).toMatchObject({ error: 'forbidden' });
	// Her own database opens.
	expect((await request.get(`${courses.server.url}/sync/${asha.db}`, { headers: asAsha })).status()).toBe(200);
});
