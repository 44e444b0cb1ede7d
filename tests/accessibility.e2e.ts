import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';

const COURSE = '/courses/public-procurement-essentials';
const SCREENS = [
	{ path: '/', heading: { en: 'My courses', hi: 'मेरे कोर्स', ar: 'دوراتي' } },
	{ path: '/catalog', heading: { en: 'Find courses', hi: 'कोर्स खोजें', ar: 'ابحث عن دورات' } },
	{ path: '/settings', heading: { en: 'Settings', hi: 'सेटिंग्स', ar: 'الإعدادات' } },
	{ path: '/settings/publishers', heading: { en: 'Trusted publishers', hi: 'भरोसेमंद प्रकाशक', ar: 'الناشرون الموثوقون' } },
	{ path: '/import', heading: { en: 'Add a course from a file', hi: 'फ़ाइल से कोर्स जोड़ें', ar: 'إضافة دورة من ملف' } },
	{ path: COURSE, heading: { en: /Public Procurement/, hi: /सार्वजनिक खरीद/, ar: /Public Procurement/ } },
	{ path: `${COURSE}/lessons/publishing-every-stage`, heading: { en: /Publishing/, hi: /प्रकाशित/, ar: /Publishing/ } },
	{ path: `${COURSE}/lessons/five-principles`, heading: { en: /five principles/, hi: /पाँच सिद्धांत/, ar: /five principles/ } },
	{ path: '/learners/new', heading: { en: 'New learner', hi: 'नया शिक्षार्थी', ar: 'متعلّم جديد' } },
	{ path: '/account/sign-in', heading: { en: 'Sign in on this phone', hi: 'इस फ़ोन पर साइन इन करें', ar: 'سجّل الدخول على هذا الهاتف' } }
] as const;
/** Screens of a learner's own: audited once someone has a profile, a quiz under way. */
const LEARNER_SCREENS = [
	{ path: '/learners', heading: { en: 'Who is learning?', hi: 'कौन सीख रहा है?', ar: 'من يتعلّم الآن؟' } },
	{ path: '/learners/me', heading: { en: 'Your profile', hi: 'आपकी प्रोफ़ाइल', ar: 'ملفك' } },
	{ path: '/account', heading: { en: 'Account', hi: 'खाता', ar: 'الحساب' } },
	{
		path: `${COURSE}/lessons/principles-quiz`,
		heading: { en: /Quiz: principles/, hi: /प्रश्नोत्तरी: सिद्धांत/, ar: /Quiz: principles/ },
		start: { en: 'Start the quiz', hi: 'प्रश्नोत्तरी शुरू करें', ar: 'ابدأ الاختبار' }
	},
	{ path: `${COURSE}/certificate`, heading: { en: 'Certificate of completion', hi: 'पूर्णता प्रमाणपत्र', ar: 'شهادة إتمام' } }
] as const;
const LOCALES = ['en', 'hi', 'ar'] as const;
type Locale = (typeof LOCALES)[number];

async function createLearner(page: Page) {
	await page.goto('/learners/new');
	await page.locator('#learner-name').fill('Asha Devi');
	await page.locator('#learner-district').fill('Sitapur');
	await page.locator('form button[type="submit"]').click();
	await expect(page).toHaveURL(/\/$/);
}

/** Every screen, as a learner meets it: first without a profile, then with one and a quiz begun. */
async function* visitEveryScreen(page: Page, locale: Locale, open: (path: string, heading: string | RegExp) => Promise<void>) {
	for (const screen of SCREENS) {
		await open(screen.path, screen.heading[locale]);
		yield screen.path;
	}
	await createLearner(page);
	for (const screen of LEARNER_SCREENS) {
		await open(screen.path, screen.heading[locale]);
		if ('start' in screen) {
			await page.getByRole('button', { name: screen.start[locale] }).click();
			await expect(page.locator('section.question').first()).toBeVisible();
		}
		yield screen.path;
	}
}

/** Puts the sample course on the phone, in the language the catalog offers this learner. */
async function downloadSampleCourse(page: Page) {
	await page.goto('/catalog');
	const card = page.getByRole('region', { name: /Public Procurement|सार्वजनिक खरीद/ });
	await card.getByRole('button').click();
	await expect(card.locator(`a[href="${COURSE}"]`)).toBeVisible();
}

// Each test downloads a course and audits eleven screens: more than the default 30 s on 2 busy cores.
test.describe.configure({ timeout: 120_000 });

for (const locale of LOCALES) {
	test(`every screen passes an automated WCAG 2.1 AA audit in ${locale}`, async ({ page, sikho }) => {
		await page.addInitScript((l) => localStorage.setItem('PARAGLIDE_LOCALE', l), locale);
		await downloadSampleCourse(page);
		const open = async (path: string, heading: string | RegExp) => {
			await sikho.open(path);
			await sikho.expectScreen(heading);
		};
		for await (const path of visitEveryScreen(page, locale, open)) {
			const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
			expect(violations.map((v) => `${path}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
		}
	});

	test(`at 360 px with text at 200% nothing scrolls sideways in ${locale}`, async ({ page, context, sikho }) => {
		await page.addInitScript((l) => localStorage.setItem('PARAGLIDE_LOCALE', l), locale);
		await downloadSampleCourse(page);
		// What a phone's "text size" setting does: the default font size, hence every rem, doubles.
		const cdp = await context.newCDPSession(page);
		await cdp.send('Page.enable');
		await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
		const open = async (path: string, heading: string | RegExp) => {
			await sikho.open(path);
			await sikho.expectScreen(heading);
		};
		for await (const path of visitEveryScreen(page, locale, open)) {
			const fontSize = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
			expect(fontSize).toBe('32px');
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
			expect(overflow, path).toBeLessThanOrEqual(0);
			for (const link of await page.getByRole('navigation', { name: /Main|मुख्य|القائمة/ }).getByRole('link').all()) {
				await expect(link).toBeInViewport();
			}
		}
	});
}
