import { describe, expect, it } from 'vitest';
import { watchForUpdate, type RegistrationLike, type WorkerLike } from './watch-for-update';

class FakeWorker extends EventTarget implements WorkerLike {
	state = 'installing';
	moveTo(state: string) {
		this.state = state;
		this.dispatchEvent(new Event('statechange'));
	}
}

class FakeRegistration extends EventTarget implements RegistrationLike<FakeWorker> {
	installing: FakeWorker | null = null;
	waiting: FakeWorker | null = null;
	startInstalling(worker: FakeWorker) {
		this.installing = worker;
		this.dispatchEvent(new Event('updatefound'));
	}
}

describe('watchForUpdate', () => {
	it('reports a new worker that installs while an old one controls the page', () => {
		const registration = new FakeRegistration();
		const ready: FakeWorker[] = [];
		watchForUpdate(registration, () => true, (w) => ready.push(w));

		const next = new FakeWorker();
		registration.startInstalling(next);
		expect(ready).toEqual([]);
		next.moveTo('installed');
		expect(ready).toEqual([next]);
	});

	it('does not call the first install an update', () => {
		const registration = new FakeRegistration();
		const ready: FakeWorker[] = [];
		watchForUpdate(registration, () => false, (w) => ready.push(w));

		const first = new FakeWorker();
		registration.startInstalling(first);
		first.moveTo('installed');
		first.moveTo('activated');
		expect(ready).toEqual([]);
	});

	it('reports an update left waiting from an earlier visit', () => {
		const registration = new FakeRegistration();
		registration.waiting = new FakeWorker();
		const ready: FakeWorker[] = [];
		watchForUpdate(registration, () => true, (w) => ready.push(w));
		expect(ready).toEqual([registration.waiting]);
	});

	it('follows a worker that was already installing when watching began', () => {
		const registration = new FakeRegistration();
		const installing = new FakeWorker();
		registration.installing = installing;
		const ready: FakeWorker[] = [];
		watchForUpdate(registration, () => true, (w) => ready.push(w));
		installing.moveTo('installed');
		expect(ready).toEqual([installing]);
	});

	it('stops listening when told to', () => {
		const registration = new FakeRegistration();
		const ready: FakeWorker[] = [];
		const stop = watchForUpdate(registration, () => true, (w) => ready.push(w));
		const next = new FakeWorker();
		registration.startInstalling(next);
		stop();
		next.moveTo('installed');
		registration.startInstalling(new FakeWorker());
		expect(ready).toEqual([]);
	});
});
