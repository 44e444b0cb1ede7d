import { afterEach, describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { applyToDocument, availableLocales, chooseLocale, currentLocale } from './locale.svelte';

const fakeRoot = () => ({ lang: '', dir: '' }) as HTMLElement;

describe('the learner’s language', () => {
	afterEach(() => chooseLocale('en', fakeRoot()));

	it('offers English, Hindi and Arabic', () => {
		expect(availableLocales).toEqual(['en', 'hi', 'ar']);
	});

	it('switches every message at once, without a reload', () => {
		const root = fakeRoot();
		chooseLocale('hi', root);
		expect(currentLocale()).toBe('hi');
		expect(m.settings_title()).toBe('सेटिंग्स');
		expect(root.lang).toBe('hi');
		expect(root.dir).toBe('ltr');
	});

	it('lays Arabic out right to left', () => {
		const root = fakeRoot();
		chooseLocale('ar', root);
		expect(m.nav_my_courses()).toBe('دوراتي');
		expect(root).toMatchObject({ lang: 'ar', dir: 'rtl' });
	});

	it('applies the current language to the page', () => {
		const root = fakeRoot();
		applyToDocument('en', root);
		expect(root).toMatchObject({ lang: 'en', dir: 'ltr' });
	});
});
