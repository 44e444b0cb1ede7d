import { describe, expect, it } from 'vitest';
import { learnerCertificateDocId, parseCertificate, registryCertificateDocId, verifyPath, type Certificate } from './certificate';

const NUMBER = '3QK1X0N7ZB4W9R2M5T8V6C0D1E';

const certificate: Certificate = {
	_id: learnerCertificateDocId('procurement-essentials'),
	format: 1,
	type: 'certificate',
	certificateId: NUMBER,
	learnerId: '0b8f3c1e-7a8d-4c57-9a53-0d1c2b3a4f5e',
	name: 'Asha Devi',
	district: 'Sitapur',
	courseId: 'procurement-essentials',
	courseVersion: 3,
	courseTitle: { en: 'Procurement essentials', hi: 'खरीद की मूल बातें' },
	percent: 93.75,
	completedAt: '2025-03-01T10:00:00.000Z',
	issuedAt: '2025-03-02T08:30:00.000Z',
	verifyPath: verifyPath(NUMBER)
};

describe('certificate documents', () => {
	it('reads the learner’s copy and the registry’s copy, with the revision a store adds', () => {
		expect(parseCertificate(certificate)).toEqual({ ok: true, value: certificate });
		const registry = { ...certificate, _id: registryCertificateDocId(NUMBER), _rev: '1-abc' };
		expect(parseCertificate(registry)).toEqual({ ok: true, value: registry });
		const { percent: _, ...withoutQuizzes } = certificate;
		expect(parseCertificate(withoutQuizzes).ok).toBe(true);
	});

	it('refuses an id of another course or number, a verify path to elsewhere, and unknown fields', () => {
		const problems = (value: object) => {
			const parsed = parseCertificate(value);
			return parsed.ok ? [] : parsed.problems;
		};
		expect(problems({ ...certificate, _id: 'certificate:other-course' })).toEqual([expect.stringMatching(/^_id: /)]);
		expect(problems({ ...certificate, verifyPath: '/verify/01ARZ3NDEKTSV4RRFFQ69G5FAV' })).toEqual([expect.stringMatching(/^verifyPath: /)]);
		expect(problems({ ...certificate, passed: true })).toEqual([expect.stringMatching(/passed/)]);
		expect(problems({ ...certificate, certificateId: 'not-a-number' })).not.toEqual([]);
		expect(problems({ ...certificate, percent: 101 })).toEqual([expect.stringMatching(/^percent: /)]);
	});

	it('refuses a format it cannot read, by name', () => {
		expect(parseCertificate({ ...certificate, format: 2 })).toEqual({ ok: false, problems: [expect.stringMatching(/certificate format 2/)] });
		expect(parseCertificate(null).ok).toBe(false);
	});
});
