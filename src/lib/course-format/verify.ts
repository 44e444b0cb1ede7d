/**
 * Checking a course before anything of it is stored: the manifest parses and is a format we know,
 * its publisher is trusted and signed exactly these bytes, and each file matches its SHA-256.
 * Used by the app (download, import), the server (publish) and the CLI (verify).
 */
import { sha256Hex } from './bytes.js';
import { BUNDLE_FORMAT_VERSION, filesForLanguage, parseManifest, ManifestError, type FileEntry, type Manifest } from './manifest.js';
import { verifyManifest } from './signature.js';

/** Why a bundle was refused. Callers match on `code`; `message` is for logs and the CLI. */
export type BundleProblem =
	| 'not_zip'
	| 'damaged_zip'
	| 'zip_bomb'
	| 'too_many_files'
	| 'unsafe_path'
	| 'duplicate_entry'
	| 'missing_manifest'
	| 'unsigned'
	| 'not_json'
	| 'invalid_manifest'
	| 'unknown_format'
	| 'unknown_publisher'
	| 'bad_signature'
	| 'missing_file'
	| 'unexpected_file'
	| 'hash_mismatch';

export class BundleError extends Error {
	override name = 'BundleError';
	constructor(
		readonly code: BundleProblem,
		message: string
	) {
		super(message);
	}
}

/**
 * Publisher id → base64 raw Ed25519 public key, or several: a publisher rotating its key, or the
 * sample publisher's shipped key next to a laptop server's own.
 */
export type TrustedPublishers = Readonly<Record<string, string | readonly string[]>>;

function keysOf(trusted: TrustedPublishers, publisher: string): readonly string[] {
	if (!Object.hasOwn(trusted, publisher)) return [];
	const keys = trusted[publisher]!;
	return typeof keys === 'string' ? [keys] : keys;
}

/** Parses the manifest and checks its publisher's signature over exactly these bytes. */
export async function verifySignedManifest(
	manifestBytes: Uint8Array,
	signature: string,
	trusted: TrustedPublishers
): Promise<Manifest> {
	let json: unknown;
	try {
		json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(manifestBytes));
	} catch {
		throw new BundleError('not_json', 'manifest.json is not valid JSON');
	}
	const format = (json as { format?: unknown } | null)?.format;
	if (typeof format === 'number' && format !== BUNDLE_FORMAT_VERSION) {
		throw new BundleError('unknown_format', `bundle format ${format} is newer than this app reads (${BUNDLE_FORMAT_VERSION}): update Sikho`);
	}
	let manifest: Manifest;
	try {
		manifest = parseManifest(json);
	} catch (error) {
		throw new BundleError('invalid_manifest', error instanceof ManifestError ? error.message : String(error));
	}
	const keys = keysOf(trusted, manifest.publisher);
	if (keys.length === 0) throw new BundleError('unknown_publisher', `publisher "${manifest.publisher}" is not trusted on this device`);
	let valid = false;
	for (const key of keys) if (!valid) valid = await verifyManifest(manifestBytes, signature, key);
	if (!valid) {
		throw new BundleError('bad_signature', `the signature does not match publisher "${manifest.publisher}"`);
	}
	return manifest;
}

/** Checks one file's bytes against its manifest entry. */
export async function verifyFile(entry: FileEntry, bytes: Uint8Array): Promise<void> {
	if (bytes.length !== entry.size || (await sha256Hex(bytes)) !== entry.sha256) {
		throw new BundleError('hash_mismatch', `${entry.path} does not match its SHA-256 in the manifest`);
	}
}

/**
 * Checks a bundle's files against its manifest and returns the languages it carries. A bundle may
 * carry some of the course's languages (a coordinator's Hindi-only copy), but each one whole: no
 * file outside the manifest, no language half there, every file with the right hash.
 */
export async function verifyBundleFiles(manifest: Manifest, files: ReadonlyMap<string, Uint8Array>): Promise<string[]> {
	const languages = checkBundleContents(manifest, new Set(files.keys()));
	const entries = new Map(manifest.files.map((f) => [f.path, f]));
	for (const [path, bytes] of files) await verifyFile(entries.get(path)!, bytes);
	return languages;
}

/**
 * Checks which files a bundle holds against its manifest, before any is read: no file outside the
 * manifest, no language half there. Returns the languages it carries whole.
 */
export function checkBundleContents(manifest: Manifest, files: ReadonlySet<string>): string[] {
	const entries = new Map(manifest.files.map((f) => [f.path, f]));
	for (const path of files) {
		if (!entries.has(path)) throw new BundleError('unexpected_file', `${path} is in the bundle but not in its manifest`);
	}
	const needed = new Map(manifest.languages.map((language) => [language, filesForLanguage(manifest, language)]));
	const languages: string[] = [];
	for (const [language, languageFiles] of needed) {
		const missing = languageFiles.filter((entry) => !files.has(entry.path));
		if (missing.length === 0) {
			languages.push(language);
			continue;
		}
		// A language may be absent, but not half there: a file only it uses means it was meant to be.
		const usedByOthers = new Set([...needed].filter(([other]) => other !== language).flatMap(([, list]) => list.map((f) => f.path)));
		if (languageFiles.some((entry) => files.has(entry.path) && !usedByOthers.has(entry.path))) {
			throw new BundleError('missing_file', `${missing[0]!.path} is in the manifest but not in the bundle`);
		}
	}
	if (languages.length === 0) throw new BundleError('missing_file', 'the bundle carries no complete language of the course');
	return languages;
}

export { ManifestError };
