/** Messages between the page and the service worker. Both sides import this file. */
export const SKIP_WAITING = 'sikho:skip-waiting';

export type WorkerMessage = { type: typeof SKIP_WAITING };

export function isSkipWaiting(data: unknown): boolean {
	return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === SKIP_WAITING;
}
