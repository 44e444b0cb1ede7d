import { beforeEach, describe, expect, it } from 'vitest';
import { CERTIFICATES_DATABASE, learnerCertificateDocId, parseCertificate } from '../../../src/lib/progress-model/certificate.js';
import { ULID_PATTERN } from '../../../src/lib/progress-model/ids.js';
import { newProfile } from '../../../src/lib/progress-model/profile.js';
import type { ProgressEvent } from '../../../src/lib/progress-model/events.js';
import { certificateIdFor, certificateKey } from './certificate-id.js';
import type { CourseQuizzes } from './course-quizzes.js';
import { certificateHook, issueCertificates, type IssueOptions } from './issue-certificates.js';
import { COURSE_ID, courseManifest, heldQuizzes, LEARNER_ID, RIGHT } from './test-support/course.js';
import { learnerHistory } from './test-support/learner-history.js';
import { MemoryStore } from '../../test-support/memory-store.js';

const SECRET = 'a-server-secret-of-at-least-32-characters';
const learner = { learnerId: LEARNER_ID, db: `learner-${LEARNER_ID}` };
const heldCourses: CourseQuizzes = {
	latest: (courseId) => (courseId === COURSE_ID ? courseManifest() : undefined),
	quiz: async (courseId, key) => (courseId === COURSE_ID ? heldQuizzes(key) : undefined)
};

let store: MemoryStore;
let options: IssueOptions;

const clock = (iso: string) => () => new Date(iso);
const learnerDb = () => store.database(learner.db);
const certificatesIn = (name: string) => store.documents(name).filter((doc) => doc._id.startsWith('certificate:'));

async function stored(...events: ProgressEvent[]): Promise<ProgressEvent[]> {
	for (const event of events) await learnerDb().put(event);
	return events;
}

async function writeProfile(name = 'Asha Devi', district = 'Sitapur') {
	await learnerDb().put(newProfile({ name, district, language: 'hi' }, clock('2025-02-01T08:00:00.000Z')));
}

beforeEach(async () => {
	store = new MemoryStore();
	await store.ensureDatabase(learner.db);
	options = { store, courses: heldCourses, secret: SECRET, now: clock('2025-03-02T08:30:00.000Z') };
});

describe('issuing a certificate after a push', () => {
	it('writes the certificate into the learner’s database and the registry, alike, once the course is completed', async () => {
		await writeProfile();
		const history = learnerHistory();
		const last = history.completeCourse();
		const pushed = await stored(...history.events);

		const issued = await issueCertificates(options, learner, pushed);
		const certificateId = certificateIdFor(certificateKey(SECRET), LEARNER_ID, COURSE_ID);
		expect(certificateId).toMatch(ULID_PATTERN);
		expect(issued).toEqual([
			{
				_id: learnerCertificateDocId(COURSE_ID),
				format: 1,
				type: 'certificate',
				certificateId,
				learnerId: LEARNER_ID,
				name: 'Asha Devi',
				district: 'Sitapur',
				courseId: COURSE_ID,
				courseVersion: 2,
				courseTitle: courseManifest().title,
				percent: 100,
				completedAt: last.at,
				issuedAt: '2025-03-02T08:30:00.000Z',
				verifyPath: `/verify/${certificateId}`
			}
		]);
		const [copy] = certificatesIn(learner.db);
		const [registered] = certificatesIn(CERTIFICATES_DATABASE);
		expect(parseCertificate(copy).ok && parseCertificate(registered).ok).toBe(true);
		expect(registered).toEqual({ ...issued[0], _id: `certificate:${certificateId}`, _rev: expect.any(String) });
		expect(copy).toEqual({ ...issued[0], _rev: expect.any(String) });
	});

	it('writes nothing while the course is not completed, or when the phone claims a pass its answers do not earn', async () => {
		await writeProfile();
		const history = learnerHistory();
		history.read('intro');
		history.read('listen');
		history.quiz('check', { attempt: 1, answers: RIGHT.check });
		const lie = history.quiz('final', { attempt: 2, answers: { public: RIGHT.final.public }, claimed: 100 });
		await stored(...history.events);
		expect(await issueCertificates(options, learner, [lie])).toEqual([]);
		expect(certificatesIn(learner.db)).toEqual([]);
		expect(certificatesIn(CERTIFICATES_DATABASE)).toEqual([]);
	});

	it('issues once: a replayed push, and two servers at once, make one certificate with one number', async () => {
		await writeProfile();
		const history = learnerHistory();
		history.completeCourse();
		const pushed = await stored(...history.events);

		const otherServer = { ...options, now: clock('2025-03-02T08:30:01.000Z') };
		const [first, second] = await Promise.all([issueCertificates(options, learner, pushed), issueCertificates(otherServer, learner, pushed)]);
		expect([...first, ...second]).toHaveLength(1);
		expect(await issueCertificates(options, learner, pushed)).toEqual([]);

		const copies = certificatesIn(learner.db);
		const registered = certificatesIn(CERTIFICATES_DATABASE);
		expect(copies).toHaveLength(1);
		expect(registered).toHaveLength(1);
		// The learner's copy is the registry's content, whichever server wrote which.
		const { _id: _a, _rev: _b, ...copy } = copies[0]!;
		const { _id: _c, _rev: _d, ...registry } = registered[0]!;
		expect(copy).toEqual(registry);
	});

	it('mends a learner copy lost between the two writes, with the registry’s content', async () => {
		await writeProfile();
		const history = learnerHistory();
		const pushed = await stored(...[history.completeCourse()], ...history.events.slice(0, -1));
		const [issued] = await issueCertificates(options, learner, pushed);
		const copy = (await learnerDb().get(learnerCertificateDocId(COURSE_ID))) as { _rev: string };
		await learnerDb().remove(learnerCertificateDocId(COURSE_ID), copy._rev);

		const later = { ...options, now: clock('2025-04-01T00:00:00.000Z') };
		const [mended] = await issueCertificates(later, learner, pushed);
		expect(mended).toEqual(issued);
		expect(certificatesIn(CERTIFICATES_DATABASE)).toHaveLength(1);
	});

	it('looks only at courses where this push completed a lesson or submitted a quiz, of this learner', async () => {
		await writeProfile();
		const history = learnerHistory();
		history.completeCourse();
		const events = await stored(...history.events);
		const notCompleting = events.filter((e) => e.type !== 'quiz-submitted' && e.type !== 'lesson-completed');
		expect(await issueCertificates(options, learner, notCompleting)).toEqual([]);
		const last = events.at(-1)!;
		expect(await issueCertificates(options, learner, [{ ...last, learnerId: 'someone-else' }, { ...last, _deleted: true }, 'junk', null])).toEqual([]);
		expect(await issueCertificates(options, { ...learner, learnerId: 'someone-else' }, [last])).toEqual([]);
		expect(certificatesIn(learner.db)).toEqual([]);
		// As replication stores it (with `_revisions`), the same submission does issue.
		expect(await issueCertificates(options, learner, [{ ...last, _rev: '1-a', _revisions: { start: 1, ids: ['a'] } }])).toHaveLength(1);
	});

	it('waits for the learner’s profile, and for a course and quizzes the server holds', async () => {
		const history = learnerHistory();
		history.completeCourse();
		const pushed = await stored(...history.events);
		expect(await issueCertificates(options, learner, pushed)).toEqual([]);
		const noQuizzes = { ...options, courses: { ...heldCourses, quiz: async () => undefined } };
		await writeProfile('Asha <b>Devi</b>', 'Sitapur & Hardoi');
		expect(await issueCertificates(noQuizzes, learner, pushed)).toEqual([]);
		const noCourse = { ...options, courses: { ...heldCourses, latest: () => undefined } };
		expect(await issueCertificates(noCourse, learner, pushed)).toEqual([]);
		expect(await issueCertificates(options, learner, pushed)).toMatchObject([{ name: 'Asha <b>Devi</b>', district: 'Sitapur & Hardoi' }]);
	});

	it('reads a long history in pages', async () => {
		await writeProfile();
		const history = learnerHistory();
		// Over a thousand events before the course is completed: more than one page of `_all_docs`.
		for (let i = 0; i < 520; i++) history.read('intro');
		const last = history.completeCourse();
		await stored(...history.events);
		expect(history.events.length).toBeGreaterThan(1000);
		expect(await issueCertificates(options, learner, [last])).toMatchObject([{ completedAt: last.at }]);
	});

	it('numbers a certificate by learner, course and server secret', () => {
		const key = certificateKey(SECRET);
		const number = certificateIdFor(key, LEARNER_ID, COURSE_ID);
		expect(certificateIdFor(key, LEARNER_ID, COURSE_ID)).toBe(number);
		expect(new Set([number, certificateIdFor(key, 'someone-else', COURSE_ID), certificateIdFor(key, LEARNER_ID, 'another-course'), certificateIdFor(certificateKey(`${SECRET}!`), LEARNER_ID, COURSE_ID)]).size).toBe(4);
	});
});

describe('the hook the sync routes call', () => {
	it('logs what it issued, and logs instead of failing the push when the store fails', async () => {
		const logged: Array<[string, unknown, string]> = [];
		const log = {
			info: (data: object, message: string) => void logged.push(['info', data, message]),
			error: (data: object, message: string) => void logged.push(['error', data, message])
		};
		await writeProfile();
		const history = learnerHistory();
		history.completeCourse();
		const pushed = await stored(...history.events);
		const onDocsStored = certificateHook({ ...options, log });

		await onDocsStored(learner, pushed);
		expect(logged).toEqual([['info', expect.objectContaining({ courseId: COURSE_ID, learnerId: LEARNER_ID }), 'certificate issued']]);

		await expect(onDocsStored({ learnerId: LEARNER_ID, db: 'learner-nobody' }, pushed)).resolves.toBeUndefined();
		expect(logged.at(-1)).toEqual(['error', expect.objectContaining({ err: expect.objectContaining({ error: 'not_found' }) }), 'issuing certificates failed']);
	});
});
