/**
 * Progress format v1: the event documents in a learner's progress database (docs/progress-model.md).
 * Every lesson opened, lesson completed, batch of time, answer saved, attempt started and quiz
 * submitted is a new document that is never edited: replication cannot make a conflict out of
 * it and replaying it twice changes nothing. Current state is derived (derive.ts).
 *
 * One schema for the app that writes events and the sync-server that validates them, so it is
 * strict (unknown fields and types are refused) and bounded (every string, number and answer).
 * Isomorphic: no DOM, no Node APIs, no `$lib` imports.
 */
import { z } from '../course-format/zod.js';
import { idSchema, languageSchema } from '../course-format/manifest.js';
import { cryptoRandom, ulid, ULID_PATTERN, type RandomBytes } from './ids.js';

/**
 * Bump when a reader of the old format would misread a new document: a field changes meaning or
 * unit, a required field is added, an event type starts to mean something else. Readers refuse
 * versions they do not know rather than guess. Adding an event type or an optional field does not
 * bump it, but since the schemas are strict, the sync-server must learn it before phones write it.
 */
export const PROGRESS_FORMAT_VERSION = 1;

export const EVENT_TYPES = ['lesson-opened', 'lesson-completed', 'time-spent', 'attempt-started', 'answer-saved', 'quiz-submitted'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const COMPLETION_KINDS = ['read-to-end', 'listened', 'quiz-submitted'] as const;
export type CompletionKind = (typeof COMPLETION_KINDS)[number];

/** Most time one batch may carry: the app writes a batch at least this often while a lesson is open. */
export const MAX_SECONDS_PER_BATCH = 3600;
/** An answer as JSON text, UTF-8. Far above any answer `src/lib/quiz` accepts; bounds storage and sync. */
export const MAX_ANSWER_BYTES = 8 * 1024;
const MAX_ANSWER_DEPTH = 4;
const MAX_ANSWER_VALUES = 500;
/** A quiz has at most 200 questions (course-format/quiz.ts). */
const MAX_QUESTIONS = 200;

// ─── ids ────────────────────────────────────────────────────────────────────────────────────────

export const EVENT_ID_PREFIX = 'event:';

/**
 * `event:<courseId>:<ULID>`. The ULID makes it unique without coordination and sorts it by time;
 * the course in the id lets one `_all_docs` range read one course's events (`courseEventRange`).
 * Course ids cannot contain ":", so no course's range holds another's.
 */
export const eventId = (courseId: string, id: string) => `${EVENT_ID_PREFIX}${courseId}:${id}`;

/** For PouchDB's `allDocs({ ...courseEventRange(id), include_docs: true })`: every event of one course, by id. */
export function courseEventRange(courseId: string): { startkey: string; endkey: string } {
	const prefix = eventId(courseId, '');
	// Every character of a ULID is ASCII, so "\ufff0" sorts after all of them (PouchDB's convention).
	return { startkey: prefix, endkey: `${prefix}\ufff0` };
}

const EVENT_ID = /^event:[a-z0-9]+(?:-[a-z0-9]+)*:[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
export const eventIdSchema = z.string().max(120).regex(EVENT_ID, 'an event id is "event:<courseId>:<ULID>"');
export const ulidSchema = z.string().regex(ULID_PATTERN, 'a ULID: 26 characters of Crockford base32');

/**
 * Exactly `Date#toISOString()`: UTC, milliseconds, four-digit year. One fixed width means times
 * compare as text, which is how derivation orders events.
 */
export const isoTimeSchema = z.iso.datetime({ precision: 3 });

/** The learner's id: the app makes a UUID; the server may issue its own. Plain, short, URL-safe. */
export const learnerIdSchema = z
	.string()
	.min(1)
	.max(100)
	.regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'letters, digits, ".", "_", "@", "-"');

/** PouchDB and CouchDB add `_rev` to every stored document; a document read back carries it. */
export const revSchema = z
	.string()
	.max(100)
	.regex(/^[1-9][0-9]{0,9}-[0-9a-zA-Z]{1,64}$/, 'a revision such as "1-abc…"');

// ─── answers ────────────────────────────────────────────────────────────────────────────────────

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** An answer as this model sees it: opaque JSON with a `type`. `src/lib/quiz` owns what it means. */
export interface Answer {
	type: string;
	[key: string]: JsonValue;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const proto: unknown = Object.getPrototypeOf(value);
	return proto === Object.prototype || proto === null;
};

function utf8Length(text: string): number {
	let bytes = 0;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		// A surrogate pair is one 4-byte character: 4 for the high half, nothing for the low.
		bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code < 0xdc00 ? 4 : code >= 0xdc00 && code < 0xe000 ? 0 : 3;
	}
	return bytes;
}

/** What is wrong with an answer, or undefined. */
export function answerProblem(value: unknown): string | undefined {
	if (!isPlainObject(value)) return 'an answer is a JSON object';
	if (typeof value.type !== 'string' || !/^[a-z][a-z0-9-]{0,39}$/.test(value.type)) {
		return 'an answer has a "type" of up to 40 lower-case letters, digits and dashes';
	}
	// An explicit stack and a depth limit: a hostile document cannot exhaust the call stack.
	const stack: Array<[unknown, number]> = [[value, 0]];
	let values = 1;
	for (let item = stack.pop(); item; item = stack.pop()) {
		const [node, depth] = item;
		if (node === null || typeof node === 'string' || typeof node === 'boolean') continue;
		if (typeof node === 'number') {
			if (!Number.isFinite(node)) return 'an answer holds only finite numbers';
			continue;
		}
		const children = Array.isArray(node) ? node : isPlainObject(node) ? Object.values(node) : undefined;
		if (!children) return 'an answer holds only JSON values';
		if (depth >= MAX_ANSWER_DEPTH) return `an answer nests at most ${MAX_ANSWER_DEPTH} levels`;
		values += children.length;
		if (values > MAX_ANSWER_VALUES) return `an answer holds at most ${MAX_ANSWER_VALUES} values`;
		for (const child of children) stack.push([child, depth + 1]);
	}
	if (utf8Length(JSON.stringify(value)) > MAX_ANSWER_BYTES) return `an answer is at most ${MAX_ANSWER_BYTES} bytes of JSON`;
	return undefined;
}

export const answerSchema = z.custom<Answer>().superRefine((value, ctx) => {
	const problem = answerProblem(value);
	if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

// ─── events ─────────────────────────────────────────────────────────────────────────────────────

/**
 * One event type's schema: the common fields, in the order stored documents show them, then its
 * own. Strict: a field the format does not name is refused, not silently kept or dropped.
 */
function eventSchema<T extends EventType, S extends z.ZodRawShape>(type: T, own: S) {
	return z.strictObject({
		_id: eventIdSchema,
		_rev: revSchema.optional(),
		format: z.literal(PROGRESS_FORMAT_VERSION),
		type: z.literal(type),
		learnerId: learnerIdSchema,
		courseId: idSchema,
		/** The version of the course the learner had; lesson ids are stable across versions. */
		courseVersion: z.number().int().min(1).max(2 ** 31 - 1),
		/** When, by the phone's clock (which may be wrong: it orders one learner's events, nothing more). */
		at: isoTimeSchema,
		lessonId: idSchema,
		...own
	});
}

export const lessonOpenedSchema = eventSchema('lesson-opened', {});

export const lessonCompletedSchema = eventSchema('lesson-completed', { how: z.enum(COMPLETION_KINDS) });

/** Time in a lesson, written in batches (by time and on leaving), never per tick. */
export const timeSpentSchema = eventSchema('time-spent', { seconds: z.number().int().min(1).max(MAX_SECONDS_PER_BATCH) });

/** A new attempt at a quiz: the seed fixes its shuffle, the language its text. */
export const attemptStartedSchema = eventSchema('attempt-started', {
	attemptId: ulidSchema,
	seed: z.number().int().min(0).max(2 ** 32 - 1),
	language: languageSchema
});

/** One answer chosen, saved as it is chosen; a later one for the same question replaces it. */
export const answerSavedSchema = eventSchema('answer-saved', { attemptId: ulidSchema, questionId: idSchema, answer: answerSchema });

/** The score the phone computed when the learner submitted. The server re-scores from the answers. */
export const quizSubmittedSchema = eventSchema('quiz-submitted', {
	attemptId: ulidSchema,
	correctCount: z.number().int().min(0).max(MAX_QUESTIONS),
	total: z.number().int().min(1).max(MAX_QUESTIONS),
	percent: z.number().min(0).max(100),
	/** By the pass mark the phone had; derivation recomputes it from `percent` (derive.ts). */
	passed: z.boolean()
}).refine((event) => event.correctCount <= event.total, { message: 'more correct answers than questions', path: ['correctCount'] });

export const progressEventSchema = z
	.discriminatedUnion('type', [lessonOpenedSchema, lessonCompletedSchema, timeSpentSchema, attemptStartedSchema, answerSavedSchema, quizSubmittedSchema])
	.superRefine((event, ctx) => {
		// A malformed id has its own problem already; this names the mismatch only.
		if (EVENT_ID.test(event._id) && !event._id.startsWith(eventId(event.courseId, ''))) {
			ctx.addIssue({ code: 'custom', path: ['_id'], message: `an event of course "${event.courseId}" has an id starting "${eventId(event.courseId, '')}"` });
		}
	});

export type ProgressEvent = z.infer<typeof progressEventSchema>;
export type EventOf<T extends EventType> = Extract<ProgressEvent, { type: T }>;
export type LessonOpened = EventOf<'lesson-opened'>;
export type LessonCompleted = EventOf<'lesson-completed'>;
export type TimeSpent = EventOf<'time-spent'>;
export type AttemptStarted = EventOf<'attempt-started'>;
export type AnswerSaved = EventOf<'answer-saved'>;
export type QuizSubmitted = EventOf<'quiz-submitted'>;

// ─── parsing ────────────────────────────────────────────────────────────────────────────────────

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** Zod's issues as "path: message" lines, the way the course format reports them. */
export function problemsOf(error: z.ZodError, what: string): string[] {
	return error.issues.map((issue) => `${issue.path.join('.') || what}: ${issue.message}`);
}

export class ProgressError extends Error {
	override name = 'ProgressError';
	constructor(readonly problems: string[]) {
		super(`Invalid progress document: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`);
	}
}

/** Checks an untrusted value (from storage, a sync peer, an upload) and names every problem. */
export function parseEvent(value: unknown): Parsed<ProgressEvent> {
	if (!isPlainObject(value)) return { ok: false, problems: ['event: an event is a JSON object'] };
	const { format, type } = value;
	if (typeof format === 'number' && format !== PROGRESS_FORMAT_VERSION) {
		return { ok: false, problems: [`format: progress format ${format} is not one this version of Sikho can read (it reads ${PROGRESS_FORMAT_VERSION})`] };
	}
	if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
		const shown = typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type;
		return { ok: false, problems: [`type: unknown event type ${shown}`] };
	}
	const parsed = progressEventSchema.safeParse(value);
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: problemsOf(parsed.error, 'event') };
}

// ─── writing ────────────────────────────────────────────────────────────────────────────────────

/** Who writes, and the clock and randomness they write with: passed in, so tests can fix them. */
export interface EventSource {
	learnerId: string;
	now: () => Date;
	/** Random bytes for ids; WebCrypto unless given. */
	random?: RandomBytes;
	/**
	 * Makes the id from the moment. Give one `monotonicUlid()` per writer so that events written in
	 * the same millisecond keep their order; without it each id is a fresh `ulid(time, random)`.
	 */
	ulid?: (timeMs: number) => string;
}

type Written = '_id' | '_rev' | 'format' | 'learnerId' | 'at';
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** What a caller says about an event; the id, format, learner and time come from the source. */
export type EventInput = DistributiveOmit<ProgressEvent, Written>;

const idAt = (source: Pick<EventSource, 'random' | 'ulid'>, timeMs: number) => (source.ulid ? source.ulid(timeMs) : ulid(timeMs, source.random));

/**
 * A new event, stamped with a fresh id and the source's clock, and checked: an event the server
 * would refuse is refused here, before it is stored (throws `ProgressError`).
 */
export function newEvent<I extends EventInput>(source: EventSource, input: I): EventOf<I['type']> {
	const now = source.now();
	const written = { _id: eventId(input.courseId, idAt(source, now.getTime())), format: PROGRESS_FORMAT_VERSION, learnerId: source.learnerId, at: now.toISOString() };
	// `written` last, so no input overrides it; parsing puts the fields in the format's order.
	const draft = { ...input, ...written };
	const parsed = parseEvent(draft);
	if (!parsed.ok) throw new ProgressError(parsed.problems);
	return parsed.value as EventOf<I['type']>;
}

/** A new attempt's id: a ULID, so attempts sort by when they started. */
export function newAttemptId(source: Pick<EventSource, 'now' | 'random' | 'ulid'>): string {
	return idAt(source, source.now().getTime());
}

/** A quiz shuffle seed: a random unsigned 32-bit number. */
export function newSeed(random: RandomBytes = cryptoRandom): number {
	const [a = 0, b = 0, c = 0, d = 0] = random(4);
	return a * 2 ** 24 + b * 2 ** 16 + c * 2 ** 8 + d;
}
