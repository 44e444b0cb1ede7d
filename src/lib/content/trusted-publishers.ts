/**
 * The publishers whose signatures this phone accepts: the keys shipped with the app, the keys its
 * own server lists, and keys a coordinator added by hand (pasted, or scanned from another phone's
 * QR code). A key travels as one line of text, `sikho-key:<publisher>:<base64 key>`, short enough
 * for a QR code and plain enough to read out over the phone.
 */
import { fromBase64, sha256Hex } from '$lib/course-format/bytes';
import { idSchema } from '$lib/course-format/manifest';
import { SHIPPED_PUBLISHERS } from '$lib/course-format/shipped-publishers';
import type { TrustedPublishers } from '$lib/course-format/verify';
import type { ContentDb, PublisherKey } from './content-db';

const KEY_PREFIX = 'sikho-key:';

export interface TrustedKey {
	publisher: string;
	publicKey: string;
	source: 'shipped' | PublisherKey['source'];
}

export async function trustedPublishers(db: ContentDb): Promise<TrustedPublishers> {
	const trusted: Record<string, string[]> = {};
	for (const { publisher, publicKey } of await listTrustedKeys(db)) (trusted[publisher] ??= []).push(publicKey);
	return trusted;
}

export async function listTrustedKeys(db: ContentDb): Promise<TrustedKey[]> {
	const shipped = Object.entries(SHIPPED_PUBLISHERS).map(([publisher, publicKey]) => ({ publisher, publicKey, source: 'shipped' as const }));
	const stored = (await db.publisherKeys.toArray()).filter((key) => !shipped.some((s) => s.publicKey === key.publicKey));
	return [...shipped, ...stored.map(({ publisher, publicKey, source }) => ({ publisher, publicKey, source }))];
}

export class PublisherKeyError extends Error {
	override name = 'PublisherKeyError';
}

/** The one-line form of a key, for pasting and QR codes. */
export const publisherKeyText = (key: Pick<TrustedKey, 'publisher' | 'publicKey'>) => `${KEY_PREFIX}${key.publisher}:${key.publicKey}`;

/** Reads a pasted or scanned key; throws PublisherKeyError when it is not one. */
export function parsePublisherKey(text: string): Pick<TrustedKey, 'publisher' | 'publicKey'> {
	const match = /^sikho-key:([^:\s]+):([A-Za-z0-9+/]{43}=)$/.exec(text.trim());
	if (!match || !idSchema.safeParse(match[1]).success) throw new PublisherKeyError('not a Sikho publisher key');
	let bytes: Uint8Array;
	try {
		bytes = fromBase64(match[2]!);
	} catch {
		throw new PublisherKeyError('not a Sikho publisher key');
	}
	if (bytes.length !== 32) throw new PublisherKeyError('not a Sikho publisher key');
	return { publisher: match[1]!, publicKey: match[2]! };
}

/** A coordinator adds a key. Adding one the phone has already changes nothing. */
export async function addPublisherKey(db: ContentDb, text: string): Promise<TrustedKey> {
	const key = parsePublisherKey(text);
	const known = (await listTrustedKeys(db)).find((k) => k.publicKey === key.publicKey);
	if (known) {
		if (known.publisher !== key.publisher) throw new PublisherKeyError(`this key already belongs to publisher "${known.publisher}"`);
		return known;
	}
	await db.publisherKeys.put({ ...key, source: 'coordinator', addedAt: new Date().toISOString() });
	return { ...key, source: 'coordinator' };
}

/** Only keys a coordinator added can be removed here; the server's come back with its catalog. */
export async function removePublisherKey(db: ContentDb, publicKey: string): Promise<void> {
	await db.publisherKeys.where('publicKey').equals(publicKey).and((key) => key.source === 'coordinator').delete();
}

/** A short fingerprint two people can compare aloud: the first 8 bytes of the key's SHA-256. */
export async function keyFingerprint(publicKey: string): Promise<string> {
	return (await sha256Hex(fromBase64(publicKey))).slice(0, 16).replace(/(.{4})(?!$)/g, '$1 ');
}
