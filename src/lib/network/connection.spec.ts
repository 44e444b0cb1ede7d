import { describe, expect, it } from 'vitest';
import { Connection } from './connection.svelte';

function fakeWindow(onLine: boolean) {
	const target = new EventTarget() as EventTarget & { navigator: { onLine: boolean } };
	target.navigator = { onLine };
	return target;
}

describe('Connection', () => {
	it('starts from what the browser reports', () => {
		const connection = new Connection();
		connection.follow(fakeWindow(false) as unknown as Window);
		expect(connection.online).toBe(false);
	});

	it('follows the browser going offline and online', () => {
		const win = fakeWindow(true);
		const connection = new Connection();
		connection.follow(win as unknown as Window);
		win.navigator.onLine = false;
		win.dispatchEvent(new Event('offline'));
		expect(connection.online).toBe(false);
		win.navigator.onLine = true;
		win.dispatchEvent(new Event('online'));
		expect(connection.online).toBe(true);
	});

	it('stops following when told to', () => {
		const win = fakeWindow(true);
		const connection = new Connection();
		const stop = connection.follow(win as unknown as Window);
		stop();
		win.navigator.onLine = false;
		win.dispatchEvent(new Event('offline'));
		expect(connection.online).toBe(true);
	});
});
