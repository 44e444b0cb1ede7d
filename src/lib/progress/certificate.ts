/**
 * The certificate the server issued for a course, once sync has brought it into the learner's
 * database (`certificate:<courseId>`, written by the server only). Until then the phone's own
 * certificate is provisional. Screens call this; none of them touches PouchDB.
 */
import type { PouchError } from 'pouchdb-core';
import { learnerCertificateDocId, parseCertificate, type Certificate } from '$lib/progress-model/certificate';
import { learnerDb, type LearnerDb } from './learner-db';

export type { Certificate };

/** The learner's certificate for the course, or undefined: none yet, or one this version cannot read or that is not theirs. */
export async function readCertificate(db: Pick<LearnerDb, 'get'>, learnerId: string, courseId: string): Promise<Certificate | undefined> {
	const id = learnerCertificateDocId(courseId);
	let stored: unknown;
	try {
		stored = await db.get(id);
	} catch (error) {
		if ((error as PouchError).status === 404) return undefined;
		throw error;
	}
	const parsed = parseCertificate(stored);
	// A certificate of a newer format stays unread (the phone shows its provisional one) rather than misread.
	if (!parsed.ok) return undefined;
	const certificate = parsed.value;
	return certificate._id === id && certificate.learnerId === learnerId && certificate.courseId === courseId ? certificate : undefined;
}

/**
 * Shows the learner's certificate for a course now, and again when sync brings it while the
 * screen is open. Returns the cancel function an `$effect` cleans up with.
 */
export function watchCertificate(learnerId: string | undefined, courseId: string | undefined, show: (certificate: Certificate | undefined) => void): (() => void) | undefined {
	if (!learnerId || !courseId) return undefined;
	let left = false;
	let stop = () => {};
	const id = learnerCertificateDocId(courseId);
	// A failed read leaves the screen as it is (provisional): nothing the learner could do about it.
	const ignore = () => {};
	void learnerDb(learnerId).then((db) => {
		if (left) return;
		const read = () =>
			readCertificate(db, learnerId, courseId).then((certificate) => {
				if (!left) show(certificate);
			}, ignore);
		const changes = db.changes({ since: 'now', live: true }).on('change', (change) => {
			if (change.id === id) void read();
		});
		stop = () => changes.cancel();
		void read();
	}, ignore);
	return () => {
		left = true;
		stop();
	};
}
