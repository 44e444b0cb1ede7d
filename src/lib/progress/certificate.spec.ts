import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import PouchDB from './pouch';
import { loadPouch } from './learner-db';
import { readCertificate, watchCertificate, type Certificate } from './certificate';
import { learnerCertificateDocId, verifyPath } from '$lib/progress-model/certificate';

// PouchDB checks the browser's user agent when it opens IndexedDB.
globalThis.navigator ??= { userAgent: 'node' } as Navigator;

const NUMBER = '3QK1X0N7ZB4W9R2M5T8V6C0D1E';
let n = 0;

function certificateFor(learnerId: string, courseId = 'procurement-essentials'): Certificate {
	return {
		_id: learnerCertificateDocId(courseId),
		format: 1,
		type: 'certificate',
		certificateId: NUMBER,
		learnerId,
		name: 'Asha Devi',
		district: 'Sitapur',
		courseId,
		courseVersion: 3,
		courseTitle: { en: 'Procurement essentials', hi: 'खरीद की मूल बातें' },
		percent: 93.75,
		completedAt: '2025-03-01T10:00:00.000Z',
		issuedAt: '2025-03-02T08:30:00.000Z',
		verifyPath: verifyPath(NUMBER)
	};
}

describe('the certificate the server issued, on the phone', () => {
	it('is read once sync has brought it, and only as this learner’s certificate of this course', async () => {
		const db = new PouchDB(`test-certificate-${n++}`, { adapter: 'indexeddb' });
		expect(await readCertificate(db, 'asha', 'procurement-essentials')).toBeUndefined();

		await db.put(certificateFor('asha'));
		expect(await readCertificate(db, 'asha', 'procurement-essentials')).toMatchObject({ certificateId: NUMBER, percent: 93.75, _rev: expect.any(String) });
		expect(await readCertificate(db, 'meera', 'procurement-essentials')).toBeUndefined();
		expect(await readCertificate(db, 'asha', 'another-course')).toBeUndefined();
	});

	it('is left unread when this version cannot read it, so the phone keeps its provisional one', async () => {
		const db = new PouchDB(`test-certificate-${n++}`, { adapter: 'indexeddb' });
		const fromNewerSikho = { ...certificateFor('asha'), format: 2 };
		await db.put(fromNewerSikho);
		expect(await readCertificate(db, 'asha', 'procurement-essentials')).toBeUndefined();
	});

	it('is shown when it arrives while the screen is open', async () => {
		await loadPouch(async () => ({ default: PouchDB }));
		const learnerId = `learner-${n++}`;
		const shown: Array<Certificate | undefined> = [];
		let cancel: (() => void) | undefined;
		const arrived = new Promise<Certificate>((resolve) => {
			cancel = watchCertificate(learnerId, 'procurement-essentials', (certificate) => {
				shown.push(certificate);
				if (shown.length === 1) void new PouchDB(`sikho-learner-${learnerId}`, { adapter: 'indexeddb' }).put(certificateFor(learnerId));
				if (certificate) resolve(certificate);
			});
		});
		expect((await arrived).learnerId).toBe(learnerId);
		expect(shown[0]).toBeUndefined();
		cancel?.();
		expect(watchCertificate(undefined, 'procurement-essentials', () => {})).toBeUndefined();
	});
});
