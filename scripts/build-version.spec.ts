import { afterEach, describe, expect, it, vi } from 'vitest';

type Config = { kit: { version: { name: string } } };
const load = async (tag: string) => ((await import(/* @vite-ignore */ `../svelte.config.js?${tag}`)) as { default: Config }).default.kit.version.name;

describe('the build version', () => {
	afterEach(() => {
		vi.useRealTimers();
		delete process.env.SIKHO_BUILD_STAMP;
	});

	it('stays the same however often SvelteKit reads the config during one build, across a minute', async () => {
		delete process.env.SIKHO_BUILD_STAMP;
		vi.useFakeTimers();
		vi.setSystemTime(new Date('2026-11-22T04:36:59Z'));
		const first = await load('first');
		vi.setSystemTime(new Date('2026-11-22T04:38:01Z'));
		const later = await load('later');
		expect(first).toBe('0.1.0-202611220436');
		expect(later).toBe(first);
	});
});
