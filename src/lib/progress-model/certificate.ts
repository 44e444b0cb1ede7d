/**
 * A certificate of completion as the sync-server writes it (docs/sync.md, "Certificates").
 * One document, stored twice with the same content: `certificate:<courseId>` in the learner's own
 * database (it replicates down to the phone, which then shows "Verified") and
 * `certificate:<certificateId>` in the `sikho-certificates` registry (what `/verify/<id>` reads).
 *
 * Only the server writes these: the sync routes refuse any `certificate:…` document a phone sends,
 * and the app parses what it pulls with this schema. Strict, so a field this version does not
 * know is refused rather than shown. Isomorphic: no DOM, no Node APIs, no `$lib` imports.
 */
import { z } from '../course-format/zod.js';
import { idSchema, localizedTextSchema } from '../course-format/manifest.js';
import { isoTimeSchema, learnerIdSchema, problemsOf, revSchema, type Parsed } from './events.js';
import { ULID_PATTERN } from './ids.js';
import { profileSchema } from './profile.js';

/**
 * Bump when a reader of the old format would misread a new certificate (a field changes meaning,
 * a required field is added). Readers refuse formats they do not know rather than guess.
 */
export const CERTIFICATE_FORMAT_VERSION = 1;

/** Every certificate document's id starts so; the sync routes refuse such ids from phones. */
export const CERTIFICATE_ID_PREFIX = 'certificate:';

/** The registry of every issued certificate, one document per certificate number. */
export const CERTIFICATES_DATABASE = 'sikho-certificates';

/** The learner's copy, one per course: at most one certificate per learner and course. */
export const learnerCertificateDocId = (courseId: string) => `${CERTIFICATE_ID_PREFIX}${courseId}`;

/** The registry's copy, found by the number printed on the certificate. */
export const registryCertificateDocId = (certificateId: string) => `${CERTIFICATE_ID_PREFIX}${certificateId}`;

/** Where anyone can check a certificate, relative to the server's origin. */
export const verifyPath = (certificateId: string) => `/verify/${certificateId}`;

/**
 * A certificate number: 26 characters of Crockford base32 with a ULID's syntax. The server makes
 * it from a keyed hash of the learner and the course (sync-server/src/certificates/certificate-id.ts),
 * so it cannot be guessed and a second issuing makes the same number.
 */
export const certificateIdSchema = z.string().regex(ULID_PATTERN, 'a certificate number: 26 characters of Crockford base32');

export const certificateSchema = z
	.strictObject({
		_id: z.string().max(120),
		_rev: revSchema.optional(),
		format: z.literal(CERTIFICATE_FORMAT_VERSION),
		type: z.literal('certificate'),
		certificateId: certificateIdSchema,
		learnerId: learnerIdSchema,
		/** As the learner's profile had them when the certificate was issued. */
		name: profileSchema.shape.name,
		district: profileSchema.shape.district,
		courseId: idSchema,
		/** The version of the course the server held when it issued the certificate. */
		courseVersion: z.number().int().min(1).max(2 ** 31 - 1),
		courseTitle: localizedTextSchema,
		/**
		 * The mean, over the course's quizzes, of the best percent of the learner's attempts at each
		 * as the server re-scored them. Absent when the course has no quiz.
		 */
		percent: z.number().min(0).max(100).optional(),
		/** The time (phone's clock) of the event that completed the course. */
		completedAt: isoTimeSchema,
		/** The time (server's clock) the certificate was issued. */
		issuedAt: isoTimeSchema,
		verifyPath: z.string().max(100)
	})
	.superRefine((certificate, ctx) => {
		const ids = [learnerCertificateDocId(certificate.courseId), registryCertificateDocId(certificate.certificateId)];
		if (!ids.includes(certificate._id)) {
			ctx.addIssue({ code: 'custom', path: ['_id'], message: `a certificate's id is "${ids[0]}" or "${ids[1]}"` });
		}
		if (certificate.verifyPath !== verifyPath(certificate.certificateId)) {
			ctx.addIssue({ code: 'custom', path: ['verifyPath'], message: `the verify path of this certificate is "${verifyPath(certificate.certificateId)}"` });
		}
	});

export type Certificate = z.infer<typeof certificateSchema>;

/** Checks an untrusted certificate document (pulled from the server, read from a store) and names every problem. */
export function parseCertificate(value: unknown): Parsed<Certificate> {
	const format = (value as { format?: unknown } | null)?.format;
	if (typeof format === 'number' && format !== CERTIFICATE_FORMAT_VERSION) {
		return { ok: false, problems: [`format: certificate format ${format} is not one this version of Sikho can read (it reads ${CERTIFICATE_FORMAT_VERSION})`] };
	}
	const parsed = certificateSchema.safeParse(value);
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: problemsOf(parsed.error, 'certificate') };
}
