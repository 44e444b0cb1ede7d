/**
 * Content packs (docs/api.md, `POST /content/pack`): many course files in one request, so a phone
 * on a slow, high-latency link pays one round trip for a course instead of one per wave of files.
 *
 * The answer is the files' bytes back to back, in the order asked for, with no framing: the phone
 * already holds each file's size and SHA-256 from the signed manifest, so it cuts the answer by
 * size and checks every piece by hash. Framing would add nothing the signature does not cover, and
 * a wrong order or a wrong size fails the hash check like any corrupted file. Should the answer
 * ever need more than that, it gets a new route, not a changed meaning for this one.
 */
import type { FileEntry } from './manifest.js';
import { contentTypeFor } from './media-types.js';

/** Most files one pack may name: keeps the request body and the server's checks small. */
export const PACK_MAX_FILES = 500;

/** A pack of text files (HTML, JSON, SVG): compressed on the wire, where it shrinks several-fold. */
export const TEXT_PACK_TYPE = 'application/vnd.sikho.text-pack';
/** A pack with images or audio: already compressed, so sent as is rather than spending CPU on it. */
export const MEDIA_PACK_TYPE = 'application/vnd.sikho.pack';

/** Text formats shrink under brotli; the images and audio courses carry are compressed already. */
export function isCompressibleType(mediaType: string): boolean {
	return /^text\/|[/+](json|xml)(;|$)/.test(mediaType);
}

/**
 * Splits files into packs of one kind (text or media, so each pack is compressed or not as a
 * whole), each up to `maxBytes` and PACK_MAX_FILES; a file larger than `maxBytes` goes alone.
 * Within a pack, largest files first.
 */
export function planPacks(files: readonly FileEntry[], maxBytes: number): FileEntry[][] {
	const packs: FileEntry[][] = [];
	const sorted = [...files].sort((a, b) => b.size - a.size);
	for (const text of [true, false]) {
		let pack: FileEntry[] = [];
		let bytes = 0;
		for (const file of sorted.filter((f) => isCompressibleType(contentTypeFor(f.path)) === text)) {
			if (pack.length > 0 && (bytes + file.size > maxBytes || pack.length === PACK_MAX_FILES)) {
				packs.push(pack);
				pack = [];
				bytes = 0;
			}
			pack.push(file);
			bytes += file.size;
		}
		if (pack.length > 0) packs.push(pack);
	}
	// Largest packs first, whatever their kind: the longest transfers start at once.
	const total = (pack: FileEntry[]) => pack.reduce((n, f) => n + f.size, 0);
	return packs.sort((a, b) => total(b) - total(a));
}
