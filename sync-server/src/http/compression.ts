/**
 * How answers are compressed on the wire: brotli, else gzip, above 1 KB (smaller answers gain less
 * than the encoding costs). Shared by the global setting and the routes that refine it, because a
 * route's own compress options replace the global ones rather than adding to them.
 */
import type { FastifyCompressOptions } from '@fastify/compress';

export const COMPRESSION = { encodings: ['br', 'gzip'], threshold: 1024 } satisfies FastifyCompressOptions;
