/**
 * Whether the phone believes it has a network. `navigator.onLine === false` is reliable; `true`
 * only means "some network interface is up", so sync code must still expect requests to fail.
 */
export class Connection {
	online = $state(true);

	/** Starts following the browser's online/offline events; returns a function that stops. */
	follow(target: Window = window): () => void {
		this.online = target.navigator.onLine;
		const update = () => {
			this.online = target.navigator.onLine;
		};
		target.addEventListener('online', update);
		target.addEventListener('offline', update);
		return () => {
			target.removeEventListener('online', update);
			target.removeEventListener('offline', update);
		};
	}
}

export const connection = new Connection();
