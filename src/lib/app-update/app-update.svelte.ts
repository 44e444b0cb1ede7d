/**
 * The app's side of the service worker: registers it, says whether Sikho is ready to open
 * offline, and offers "a new version is ready" instead of swapping code under the learner.
 */
import { dev } from '$app/environment';
import { SKIP_WAITING, type WorkerMessage } from './worker-messages';
import { watchForUpdate } from './watch-for-update';

export type OfflineState = 'preparing' | 'ready' | 'unsupported';

/** How often an open app asks for a new version while online. Each check is one small request. */
const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

export class AppUpdate {
	offline = $state<OfflineState>('preparing');
	waitingWorker = $state<ServiceWorker | null>(null);
	postponed = $state(false);

	get updateReady(): boolean {
		return this.waitingWorker !== null && !this.postponed;
	}

	#reloadOnTakeover = false;

	async start(): Promise<void> {
		if (!('serviceWorker' in navigator)) {
			this.offline = 'unsupported';
			return;
		}
		const container = navigator.serviceWorker;
		// Some browsers refuse service workers (private windows, policies): Sikho still runs online.
		const registration = await container
			.register('/service-worker.js', { type: dev ? 'module' : 'classic' })
			.catch(() => undefined);
		if (!registration) {
			this.offline = 'unsupported';
			return;
		}

		watchForUpdate(
			registration,
			() => container.controller !== null,
			(worker) => {
				this.waitingWorker = worker;
			}
		);

		// The very first worker takes control by itself (clientsClaim); only a takeover the
		// learner asked for reloads the page.
		container.addEventListener('controllerchange', () => {
			if (this.#reloadOnTakeover) window.location.reload();
		});

		// Installing means the whole app shell is cached: from then on Sikho opens offline.
		void container.ready.then(() => {
			this.offline = 'ready';
		});

		const check = () => {
			if (navigator.onLine) registration.update().catch(() => undefined);
		};
		window.addEventListener('online', check);
		setInterval(check, UPDATE_CHECK_INTERVAL_MS);
	}

	/** The learner said "reload now": let the waiting worker take over, then reload once. */
	applyUpdate(): void {
		const worker = this.waitingWorker;
		if (!worker) return;
		this.#reloadOnTakeover = true;
		const message: WorkerMessage = { type: SKIP_WAITING };
		worker.postMessage(message);
	}

	/** "Later": hide the prompt; the new version starts the next time Sikho is opened. */
	postpone(): void {
		this.postponed = true;
	}
}

export const appUpdate = new AppUpdate();
