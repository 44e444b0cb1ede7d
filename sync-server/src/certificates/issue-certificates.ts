/**
 * Issuing certificates after a push: the sync routes call the hook with the documents `_bulk_docs`
 * just stored. For each course where a lesson was completed or a quiz submitted, and that has no
 * certificate yet, the server reads all the learner's events of the course, decides with the
 * answer keys it holds (course-completion.ts), and when the course is completed writes
 *
 *   `certificate:<certificateId>` into `sikho-certificates` (what `/verify/<id>` reads), then
 *   `certificate:<courseId>` into the learner's database (it replicates down to the phone).
 *
 * Idempotent without locks: the number is a keyed hash of learner and course (certificate-id.ts),
 * so every server and every replay makes the same one, and both writes are creates that CouchDB
 * lets succeed once (409 for the others). Whoever wrote the registry first decides the content;
 * a loser copies that content into the learner's database, so the two copies always agree. The
 * registry is written first so a phone never shows a verify link that answers 404; a crash
 * between the two writes is mended by the next push, which finds no learner copy and issues again
 * (same number, registry 409, learner copy written).
 */
import { idSchema } from '../../../src/lib/course-format/manifest.js';
import type { Quiz } from '../../../src/lib/course-format/quiz.js';
import {
	CERTIFICATES_DATABASE,
	learnerCertificateDocId,
	parseCertificate,
	registryCertificateDocId,
	verifyPath,
	type Certificate
} from '../../../src/lib/progress-model/certificate.js';
import { courseEventRange, EVENT_ID_PREFIX, parseEvent, ProgressError, type ProgressEvent } from '../../../src/lib/progress-model/events.js';
import { mergeProfileRevisions, parseProfile, PROFILE_ID, type Profile } from '../../../src/lib/progress-model/profile.js';
import { StoreError, type Database, type JsonObject, type Store } from '../store/store.js';
import { certificateIdFor, certificateKey } from './certificate-id.js';
import { courseCompletion, quizzesNeeded, type QuizKey } from './course-completion.js';
import type { CourseQuizzes } from './course-quizzes.js';

export interface IssueOptions {
	store: Store;
	courses: CourseQuizzes;
	/**
	 * The secret certificate numbers are keyed with. Every server writing to one CouchDB must use
	 * the same (TOKEN_SECRET is), or two of them could issue one course twice under two numbers.
	 */
	secret: string | Uint8Array;
	now?: () => Date;
}

/** Where the hook reports; Fastify's logger is one. */
export interface IssueLog {
	info(data: object, message: string): void;
	error(data: object, message: string): void;
}

/** Who pushed: the learner of the access token and their server database. */
export interface PushingLearner {
	learnerId: string;
	db: string;
}

/** Events that can complete a course; others (an answer saved, time spent) cannot. */
const COMPLETING = new Set(['quiz-submitted', 'lesson-completed']);

/** Events read per `_all_docs` request: a long course history is read in pages, not in one answer. */
const PAGE = 1000;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const isStatus = (error: unknown, status: number) => error instanceof StoreError && error.status === status;

/** The courses in which these stored documents could have completed something. */
export function coursesTouched(learnerId: string, storedDocs: readonly unknown[]): string[] {
	const courses = new Set<string>();
	for (const doc of storedDocs) {
		// Read loosely: documents stored by replication carry `_revisions`, which the event schema refuses.
		if (!isObject(doc) || doc._deleted === true || typeof doc._id !== 'string' || !doc._id.startsWith(EVENT_ID_PREFIX)) continue;
		if (!COMPLETING.has(doc.type as string) || doc.learnerId !== learnerId || !idSchema.safeParse(doc.courseId).success) continue;
		courses.add(doc.courseId as string);
	}
	return [...courses];
}

async function getOrUndefined(db: Database, id: string, query?: Record<string, string>): Promise<unknown> {
	try {
		return await db.get(id, query);
	} catch (error) {
		if (isStatus(error, 404)) return undefined;
		throw error;
	}
}

/** Every event of one course in the learner's database that this version can read. */
async function courseEvents(db: Database, courseId: string): Promise<ProgressEvent[]> {
	const { startkey, endkey } = courseEventRange(courseId);
	const events: ProgressEvent[] = [];
	for (let from: string | undefined; ; ) {
		const query = { startkey: JSON.stringify(from ?? startkey), endkey: JSON.stringify(endkey), include_docs: 'true', limit: String(PAGE), ...(from ? { skip: '1' } : {}) };
		const { rows } = (await db.allDocs(query)) as { rows?: Array<{ id: string; doc?: unknown }> };
		for (const row of rows ?? []) {
			const parsed = parseEvent(row.doc);
			if (parsed.ok) events.push(parsed.value);
		}
		if (!rows || rows.length < PAGE) return events;
		from = rows[rows.length - 1]!.id;
	}
}

/** The learner's profile as every replica will settle it: conflicting revisions merged as the phones merge them. */
async function learnerProfile(db: Database): Promise<Profile | undefined> {
	const stored = await getOrUndefined(db, PROFILE_ID, { conflicts: 'true' });
	if (!isObject(stored)) return undefined;
	const { _conflicts: conflicts, ...winning } = stored;
	const parsed = parseProfile(winning);
	if (!parsed.ok) return undefined;
	const losing: Profile[] = [];
	for (const rev of Array.isArray(conflicts) ? conflicts : []) {
		const other = parseProfile(await getOrUndefined(db, PROFILE_ID, { rev: String(rev) }));
		if (other.ok) losing.push(other.value);
	}
	return mergeProfileRevisions(parsed.value, losing);
}

/** Creates a document, or reads the one already there under that id. */
async function createOrRead(db: Database, doc: JsonObject & { _id: string }): Promise<{ created: boolean; doc: unknown }> {
	try {
		await db.put(doc);
		return { created: true, doc };
	} catch (error) {
		if (!isStatus(error, 409)) throw error;
		return { created: false, doc: await db.get(doc._id) };
	}
}

function checked(value: unknown): Certificate {
	const parsed = parseCertificate(value);
	if (!parsed.ok) throw new ProgressError(parsed.problems);
	return parsed.value;
}

/** Issues what one course deserves; the learner's new certificate, or undefined. */
async function issueForCourse(options: IssueOptions, key: Buffer, learner: PushingLearner, courseId: string): Promise<Certificate | undefined> {
	const course = options.courses.latest(courseId);
	if (!course) return undefined;
	const db = options.store.database(learner.db);
	if ((await getOrUndefined(db, learnerCertificateDocId(courseId))) !== undefined) return undefined;

	const events = await courseEvents(db, courseId);
	const quizzes = new Map<string, Quiz>();
	const quizKey = (k: QuizKey) => `${k.lessonId} ${k.courseVersion} ${k.language}`;
	for (const needed of quizzesNeeded(course, learner.learnerId, events)) {
		const quiz = await options.courses.quiz(courseId, needed);
		if (quiz) quizzes.set(quizKey(needed), quiz);
	}
	const completion = courseCompletion(course, learner.learnerId, events, (k) => quizzes.get(quizKey(k)));
	if (!completion.complete) return undefined;
	// A certificate names its learner; without a profile yet (it comes in an earlier batch), the next push issues it.
	const profile = await learnerProfile(db);
	if (!profile) return undefined;

	const certificateId = certificateIdFor(key, learner.learnerId, courseId);
	const content = {
		format: 1,
		type: 'certificate',
		certificateId,
		learnerId: learner.learnerId,
		name: profile.name,
		district: profile.district,
		courseId,
		courseVersion: completion.courseVersion,
		courseTitle: completion.courseTitle,
		...(completion.percent === undefined ? {} : { percent: completion.percent }),
		completedAt: completion.completedAt,
		issuedAt: (options.now ?? (() => new Date()))().toISOString(),
		verifyPath: verifyPath(certificateId)
	};
	const fresh = checked({ _id: registryCertificateDocId(certificateId), ...content });

	await options.store.ensureDatabase(CERTIFICATES_DATABASE);
	const registry = await createOrRead(options.store.database(CERTIFICATES_DATABASE), fresh);
	const { _id: _, _rev: __, ...issued } = registry.created ? fresh : checked(registry.doc);
	if (issued.learnerId !== learner.learnerId || issued.courseId !== courseId) {
		throw new Error(`certificate ${certificateId} is registered to another learner or course`);
	}
	const copy = checked({ _id: learnerCertificateDocId(courseId), ...issued });
	const written = await createOrRead(db, copy);
	return written.created ? copy : undefined;
}

/**
 * Issues every certificate these stored documents complete. Returns the certificates this call
 * wrote into the learner's database (none when another call got there first).
 */
export async function issueCertificates(options: IssueOptions, learner: PushingLearner, storedDocs: readonly unknown[]): Promise<Certificate[]> {
	const key = certificateKey(options.secret);
	const issued: Certificate[] = [];
	// One course at a time: a push rarely completes two, and the reads are the learner's whole course history.
	for (const courseId of coursesTouched(learner.learnerId, storedDocs)) {
		const certificate = await issueForCourse(options, key, learner, courseId);
		if (certificate) issued.push(certificate);
	}
	return issued;
}

/**
 * The sync routes' `onDocsStored`: issues certificates and never fails the push it follows (a
 * learner's progress is stored either way; the next push tries again).
 */
export function certificateHook(options: IssueOptions & { log: IssueLog }) {
	return async (learner: PushingLearner, storedDocs: unknown[]): Promise<void> => {
		try {
			for (const certificate of await issueCertificates(options, learner, storedDocs)) {
				options.log.info({ learnerId: learner.learnerId, courseId: certificate.courseId, certificateId: certificate.certificateId }, 'certificate issued');
			}
		} catch (error) {
			options.log.error({ err: error, learnerId: learner.learnerId }, 'issuing certificates failed');
		}
	};
}
