/**
 * Course routes (docs/api.md): the catalog, a course's signed manifest, its files by SHA-256
 * (one by one, or many in one pack), a whole bundle per language for coordinators, and publishing.
 */
import { timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import fastifyStatic from '@fastify/static';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DISTRICT_MAX_COURSES } from '../../../src/lib/course-format/district.js';
import { isCompressibleType, MEDIA_PACK_TYPE, PACK_MAX_FILES, TEXT_PACK_TYPE } from '../../../src/lib/course-format/content-pack.js';
import { COMPRESSION } from '../http/compression.js';
import { errorBody } from '../http/errors.js';
import { IMMUTABLE } from '../web/cache-policy.js';
import { PublishError, type CourseLibrary } from './course-library.js';

export interface CourseRouteOptions {
	library: CourseLibrary;
	adminToken?: string;
}

/** A bundle may be large (audio, many languages); everything else stays under the global limit. */
export const PUBLISH_BODY_LIMIT_BYTES = 200 * 1024 * 1024;

const SHA256 = /^[0-9a-f]{64}$/;

/** Course files may be opened directly in a browser: they must never run script in our origin. */
const CONTENT_POLICY = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox";

const PACK_BODY = {
	type: 'object',
	required: ['files'],
	additionalProperties: false,
	properties: {
		files: { type: 'array', minItems: 1, maxItems: PACK_MAX_FILES, uniqueItems: true, items: { type: 'string', pattern: SHA256.source } }
	}
} as const;

/** Files one after another, read from disk as the client takes them: a pack of audio is never held in memory. */
async function* concatenated(paths: string[]): AsyncGenerator<Buffer> {
	for (const path of paths) yield* createReadStream(path);
}

const listOf = (value: string | undefined) => (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);

/** A bundle streamed as it is written: a district of audio courses is never held in memory. */
function sendBundle(reply: FastifyReply, stream: ReadableStream<Uint8Array>, name: string) {
	return reply
		.header('cache-control', 'no-cache')
		.header('content-disposition', `attachment; filename="${name}"`)
		.type('application/zip')
		.send(Readable.fromWeb(stream as NodeReadableStream<Uint8Array>));
}

function isAdmin(request: FastifyRequest, token: string | undefined): boolean {
	const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
	if (!token || !given) return false;
	const a = Buffer.from(given);
	const b = Buffer.from(token);
	return a.length === b.length && timingSafeEqual(a, b);
}

export async function courseRoutes(app: FastifyInstance, { library, adminToken }: CourseRouteOptions): Promise<void> {
	app.get('/api/catalog', async (_request, reply) => {
		reply.header('cache-control', 'no-cache');
		return { courses: library.catalog(), publishers: await library.ownPublishers() };
	});

	// `?have=<version>`: the phone holds that version, so a patch to the latest may replace the text.
	app.get<{ Params: { id: string }; Querystring: { have?: string } }>('/api/courses/:id', async (request, reply) => {
		const course = library.course(request.params.id);
		if (!course) return reply.code(404).send(errorBody(404, `No course "${request.params.id}"`));
		reply.header('cache-control', 'no-cache');
		const have = Number(request.query.have);
		const patch = request.query.have ? await library.manifestPatch(course.manifest.id, have) : undefined;
		if (patch) return { version: course.manifest.version, patch, signature: course.signature };
		return { manifest: course.manifestText, signature: course.signature };
	});

	app.get<{ Params: { id: string }; Querystring: { language?: string } }>('/api/courses/:id/bundle', async (request, reply) => {
		const course = library.course(request.params.id);
		if (!course) return reply.code(404).send(errorBody(404, `No course "${request.params.id}"`));
		const languages = listOf(request.query.language);
		const unknown = languages.filter((language) => !course.manifest.languages.includes(language));
		if (unknown.length > 0) return reply.code(400).send(errorBody(400, `The course is not offered in ${unknown.join(', ')}`));
		const name = `${course.manifest.id}-v${course.manifest.version}${languages.length ? `-${languages.join('-')}` : ''}.zip`;
		return sendBundle(reply, library.bundle([course.manifest.id], languages, false)!, name);
	});

	// Several courses in one file for a coordinator (docs/course-bundle.md, district bundles). The
	// languages asked for apply to each course that offers them; each course must offer one of them.
	app.get<{ Querystring: { courses?: string; language?: string } }>('/api/district-bundle', async (request, reply) => {
		const ids = [...new Set(listOf(request.query.courses))];
		const languages = listOf(request.query.language);
		if (ids.length === 0) return reply.code(400).send(errorBody(400, 'Name the courses: ?courses=<id>,<id>'));
		if (ids.length > DISTRICT_MAX_COURSES) return reply.code(400).send(errorBody(400, `At most ${DISTRICT_MAX_COURSES} courses in one district bundle`));
		for (const id of ids) {
			const course = library.course(id);
			// The route exists whatever is asked; a course it cannot find is a bad request, not a missing page.
			if (!course) return reply.code(400).send(errorBody(400, `No course "${id}" is published`));
			if (languages.length > 0 && !course.manifest.languages.some((l) => languages.includes(l))) {
				return reply.code(400).send(errorBody(400, `"${id}" is not offered in ${languages.join(', ')}`));
			}
		}
		const name = `sikho-district-${new Date().toISOString().slice(0, 10)}.zip`;
		return sendBundle(reply, library.bundle(ids, languages, true)!, name);
	});

	app.addContentTypeParser('application/zip', { parseAs: 'buffer', bodyLimit: PUBLISH_BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body));
	app.post('/api/courses', { bodyLimit: PUBLISH_BODY_LIMIT_BYTES }, async (request, reply) => {
		if (!adminToken) return reply.code(403).send(errorBody(403, 'Publishing over HTTP is off: set ADMIN_TOKEN on the server'));
		if (!isAdmin(request, adminToken)) return reply.code(401).send(errorBody(401, 'A valid admin token is needed to publish'));
		if (!Buffer.isBuffer(request.body)) return reply.code(415).send(errorBody(415, 'Send the bundle as application/zip'));
		try {
			const { status, manifest } = await library.publish(new Uint8Array(request.body));
			return reply.code(status === 'published' ? 201 : 200).send({ status, id: manifest.id, version: manifest.version });
		} catch (error) {
			if (!(error instanceof PublishError)) throw error;
			const status = error.code === 'older_version' || error.code === 'version_conflict' ? 409 : 400;
			return reply.code(status).send({ ...errorBody(status, error.message), problem: error.code });
		}
	});

	// Many files in one answer, back to back in the order asked (src/lib/course-format/content-pack.ts).
	// Only a pack of text is compressed: its type is the one the compressor is told about.
	app.post<{ Body: { files: string[] } }>(
		'/content/pack',
		{ schema: { body: PACK_BODY }, compress: { ...COMPRESSION, customTypes: (type) => type.split(';')[0] === TEXT_PACK_TYPE } },
		async (request, reply) => {
			const files = await Promise.all(request.body.files.map((sha256) => library.contentFile(sha256)));
			const unknown = request.body.files.filter((_, i) => !files[i]);
			// Checked before the first byte: once streaming has begun, a failure can only cut the connection.
			if (unknown.length > 0) return reply.code(404).send(errorBody(404, `No such course file: ${unknown[0]}${unknown.length > 1 ? ` and ${unknown.length - 1} more` : ''}`));
			const known = files as NonNullable<(typeof files)[number]>[];
			return reply
				.type(known.every((file) => isCompressibleType(file.type)) ? TEXT_PACK_TYPE : MEDIA_PACK_TYPE)
				.header('content-length', known.reduce((n, file) => n + file.size, 0))
				.header('content-security-policy', CONTENT_POLICY)
				.send(Readable.from(concatenated(known.map((file) => file.path)), { objectMode: false }));
		}
	);

	// Files by content: the address is the hash, so they never change and may be kept forever.
	await app.register(async (content) => {
		content.addHook('onRequest', async (request, reply) => {
			const sha256 = request.url.split('?')[0]!.slice('/content/'.length);
			if (!SHA256.test(sha256) || !library.contentType(sha256)) {
				return reply.code(404).send(errorBody(404, 'No such course file'));
			}
		});
		await content.register(fastifyStatic, {
			root: library.contentDir,
			prefix: '/content/',
			decorateReply: false,
			cacheControl: false,
			etag: false,
			lastModified: false,
			index: false,
			setHeaders(reply, path) {
				const sha256 = path.slice(path.lastIndexOf('/') + 1);
				reply.header('cache-control', IMMUTABLE);
				reply.header('content-security-policy', CONTENT_POLICY);
				reply.type(library.contentType(sha256) ?? 'application/octet-stream');
			}
		});
	});
}
