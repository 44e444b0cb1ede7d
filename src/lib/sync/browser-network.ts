/**
 * The phone's network as the sync engine sees it in a browser. `navigator.onLine === false` is
 * reliable; `true` only means some interface is up, so requests may still fail (the engine
 * expects that). The connection type comes from the Network Information API, which Chrome on
 * Android has and most other browsers (and desktop Chrome) do not: there, the phone "does not
 * say", Wi-Fi only cannot be honoured, and settings tell the learner so.
 */
import type { Network } from './sync-engine';

interface ConnectionInfo extends EventTarget {
	type?: string;
}

function connectionInfo(): ConnectionInfo | undefined {
	return (navigator as Navigator & { connection?: ConnectionInfo }).connection;
}

/** Whether this phone reports if it is on mobile data or Wi-Fi. */
export function reportsConnectionType(): boolean {
	return typeof connectionInfo()?.type === 'string';
}

export function browserNetwork(target: Window = window): Network {
	return {
		online: () => target.navigator.onLine,
		cellular: () => connectionInfo()?.type === 'cellular',
		watch(onChange) {
			const online = () => onChange('online');
			const offline = () => onChange('offline');
			const type = () => onChange('type');
			target.addEventListener('online', online);
			target.addEventListener('offline', offline);
			connectionInfo()?.addEventListener('change', type);
			return () => {
				target.removeEventListener('online', online);
				target.removeEventListener('offline', offline);
				connectionInfo()?.removeEventListener('change', type);
			};
		}
	};
}

/** Runs a sync holding a Web Lock named for the learner, so two tabs never sync one learner at once. */
export function webLock(name: string): <T>(run: () => Promise<T>) => Promise<T> {
	const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
	if (!locks) return (run) => run();
	return (run) => locks.request(name, run);
}
