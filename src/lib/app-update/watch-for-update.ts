/**
 * Finds the moment a new service worker has installed while an older one still controls the page:
 * that is "a new version is ready". The new worker then waits; it takes over only when the learner
 * says so, so code is never swapped under someone in the middle of a quiz.
 *
 * Written against minimal interfaces so it can be tested with plain EventTargets.
 */
export interface WorkerLike extends EventTarget {
	readonly state: string;
}

export interface RegistrationLike<W extends WorkerLike> extends EventTarget {
	readonly installing: W | null;
	readonly waiting: W | null;
}

export function watchForUpdate<W extends WorkerLike>(
	registration: RegistrationLike<W>,
	pageIsControlled: () => boolean,
	onUpdateReady: (worker: W) => void
): () => void {
	const stops: Array<() => void> = [];

	const follow = (worker: W) => {
		const onStateChange = () => {
			// With no controller this is the very first install, not an update.
			if (worker.state === 'installed' && pageIsControlled()) onUpdateReady(worker);
		};
		worker.addEventListener('statechange', onStateChange);
		stops.push(() => worker.removeEventListener('statechange', onStateChange));
	};

	// An update may already be waiting from an earlier visit (the learner chose "later").
	if (registration.waiting && pageIsControlled()) onUpdateReady(registration.waiting);
	if (registration.installing) follow(registration.installing);

	const onUpdateFound = () => {
		if (registration.installing) follow(registration.installing);
	};
	registration.addEventListener('updatefound', onUpdateFound);
	stops.push(() => registration.removeEventListener('updatefound', onUpdateFound));

	return () => stops.forEach((stop) => stop());
}
