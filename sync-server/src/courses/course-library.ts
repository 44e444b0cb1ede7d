/**
 * The published courses: every version's signed manifest, and every course file stored once by
 * its SHA-256 (`DATA_DIR/content/<sha256>`), so a new version that changes one lesson stores, and
 * a learner downloads, only that lesson's files.
 *
 *   DATA_DIR/publishers/<id>.pub          trusted publisher keys
 *   DATA_DIR/content/<sha256>             course files
 *   DATA_DIR/courses/<id>/<version>.json  { manifest: exact signed text, signature, publishedAt }
 */
import { randomUUID } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { writeBundle } from '../../../src/lib/course-format/bundle-writer.js';
import { join } from 'node:path';
import { downloadSize, filesForLanguage, idSchema, MANIFEST_FILE, parseManifest, SIGNATURE_FILE, type Manifest } from '../../../src/lib/course-format/manifest.js';
import { BundleError, type BundleProblem, type TrustedPublishers } from '../../../src/lib/course-format/verify.js';
import type { CatalogEntry } from '../../../src/lib/course-format/catalog.js';
import { openBundle } from '../course-cli/open-bundle.js';
import { keysToTrust, readTrustedPublishers } from '../course-cli/publisher-keys.js';
import { contentTypeFor } from '../../../src/lib/course-format/media-types.js';
import type { ManifestPatch, ManifestPatchOp } from '../../../src/lib/course-format/manifest-patch.js';
import { makeManifestPatch } from './manifest-patch.js';

export interface PublishedCourse {
	manifest: Manifest;
	/** The manifest exactly as signed: clients verify the signature over these bytes. */
	manifestText: string;
	signature: string;
	publishedAt: string;
}

export type { CatalogEntry };

export type PublishProblem = BundleProblem | 'older_version' | 'version_conflict' | 'incomplete_bundle';

export class PublishError extends Error {
	override name = 'PublishError';
	constructor(
		readonly code: PublishProblem,
		message: string
	) {
		super(message);
	}
}

async function writeAtomically(file: string, bytes: Uint8Array | string): Promise<void> {
	const temporary = `${file}.${randomUUID()}.tmp`;
	await writeFile(temporary, bytes);
	await rename(temporary, file);
}

export class CourseLibrary {
	private readonly latest = new Map<string, PublishedCourse>();
	/** sha256 → media type, for every file of every published version. */
	private readonly content = new Map<string, string>();
	/** `id:from:to` → patch (null: none worth sending). Few entries: phones update from recent versions. */
	private readonly patches = new Map<string, ManifestPatchOp[] | null>();

	private constructor(private readonly dataDir: string) {}

	static async open(dataDir: string): Promise<CourseLibrary> {
		const library = new CourseLibrary(dataDir);
		await Promise.all(['publishers', 'content', 'courses'].map((dir) => mkdir(join(dataDir, dir), { recursive: true })));
		for (const courseId of await readdir(join(dataDir, 'courses'))) {
			for (const name of await readdir(join(dataDir, 'courses', courseId))) {
				if (!name.endsWith('.json')) continue;
				const record = JSON.parse(await readFile(join(dataDir, 'courses', courseId, name), 'utf8')) as Omit<PublishedCourse, 'manifest'>;
				library.remember({ ...record, manifest: parseManifest(JSON.parse(record.manifestText)) });
			}
		}
		return library;
	}

	get contentDir(): string {
		return join(this.dataDir, 'content');
	}

	/** The keys this server holds itself (`DATA_DIR/publishers`): what its catalog tells phones to trust. */
	ownPublishers(): Promise<Record<string, string>> {
		return readTrustedPublishers(join(this.dataDir, 'publishers'));
	}

	/** Every key a bundle may be signed with: the server's own and those shipped with the app. */
	trustedPublishers(): Promise<TrustedPublishers> {
		return keysToTrust(join(this.dataDir, 'publishers'));
	}

	catalog(): CatalogEntry[] {
		return [...this.latest.values()]
			.map(({ manifest }) => {
				const lessons = manifest.modules.flatMap((m) => m.lessons);
				return {
					id: manifest.id,
					version: manifest.version,
					publisher: manifest.publisher,
					licence: manifest.licence,
					languages: manifest.languages,
					title: manifest.title,
					description: manifest.description,
					lessons: lessons.length,
					minutes: lessons.reduce((sum, l) => sum + l.minutes, 0),
					downloadBytes: Object.fromEntries(manifest.languages.map((language) => [language, downloadSize(manifest, language)]))
				};
			})
			.sort((a, b) => a.id.localeCompare(b.id));
	}

	course(id: string): PublishedCourse | undefined {
		return this.latest.get(id);
	}

	/** One published version's manifest (older ones are read from disk, not kept in memory); undefined when never published. */
	async publishedManifest(id: string, version: number): Promise<Manifest | undefined> {
		const latest = this.latest.get(id);
		if (latest?.manifest.version === version) return latest.manifest;
		if (!latest || !idSchema.safeParse(id).success || !Number.isSafeInteger(version) || version < 1) return undefined;
		return readFile(join(this.dataDir, 'courses', id, `${version}.json`), 'utf8').then(
			(text) => parseManifest(JSON.parse((JSON.parse(text) as Omit<PublishedCourse, 'manifest'>).manifestText)),
			() => undefined
		);
	}

	/**
	 * The latest manifest as a patch over an older version the phone has, when one is worth
	 * sending (docs/api.md); undefined means send the whole manifest.
	 */
	async manifestPatch(id: string, from: number): Promise<ManifestPatch | undefined> {
		const course = this.latest.get(id);
		if (!course || !Number.isSafeInteger(from) || from < 1 || from >= course.manifest.version) return undefined;
		const key = `${id}:${from}:${course.manifest.version}`;
		if (!this.patches.has(key)) {
			const old = await readFile(join(this.dataDir, 'courses', id, `${from}.json`), 'utf8').then(
				(text) => (JSON.parse(text) as Omit<PublishedCourse, 'manifest'>).manifestText,
				() => undefined
			);
			if (this.patches.size >= 200) this.patches.delete(this.patches.keys().next().value!);
			this.patches.set(key, old === undefined ? null : (makeManifestPatch(old, course.manifestText) ?? null));
		}
		const ops = this.patches.get(key);
		return ops ? { from, ops } : undefined;
	}

	/** The media type of a stored file, or undefined when no published course has it. */
	contentType(sha256: string): string | undefined {
		return this.content.get(sha256);
	}

	/** A stored file's place on disk and size, for streaming; undefined when no published course has it. */
	async contentFile(sha256: string): Promise<{ path: string; size: number; type: string } | undefined> {
		const type = this.content.get(sha256);
		if (!type) return undefined;
		const path = join(this.contentDir, sha256);
		return { path, size: (await stat(path)).size, type };
	}

	async publish(zip: Uint8Array): Promise<{ status: 'published' | 'unchanged'; manifest: Manifest }> {
		let opened;
		try {
			opened = await openBundle(zip, await this.trustedPublishers());
		} catch (error) {
			if (error instanceof BundleError) throw new PublishError(error.code, error.message);
			throw error;
		}
		const { manifest, manifestBytes, signature, files, languages } = opened;
		if (languages.length !== manifest.languages.length) {
			throw new PublishError('incomplete_bundle', `a published bundle carries every language of the course; this one has ${languages.join(', ')}`);
		}
		const manifestText = new TextDecoder().decode(manifestBytes);
		const current = this.latest.get(manifest.id);
		if (current && current.manifest.version > manifest.version) {
			throw new PublishError('older_version', `${manifest.id} v${current.manifest.version} is already published; v${manifest.version} is older`);
		}
		if (current && current.manifest.version === manifest.version) {
			if (current.manifestText === manifestText) return { status: 'unchanged', manifest };
			throw new PublishError('version_conflict', `${manifest.id} v${manifest.version} is already published with other content: raise the version`);
		}

		// Files first, the version record last: a publish cut short leaves no version pointing at missing files.
		for (const entry of manifest.files) {
			const target = join(this.contentDir, entry.sha256);
			if (!(await stat(target).then(() => true, () => false))) await writeAtomically(target, files.get(entry.path)!);
		}
		const record = { manifestText, signature, publishedAt: new Date().toISOString() };
		await mkdir(join(this.dataDir, 'courses', manifest.id), { recursive: true });
		await writeAtomically(join(this.dataDir, 'courses', manifest.id, `${manifest.version}.json`), JSON.stringify(record));
		this.remember({ ...record, manifest });
		return { status: 'published', manifest };
	}

	/**
	 * The latest version of courses with the given languages (all a course offers when none are
	 * named), as one bundle file or, for several, a district bundle — streamed, files read from
	 * disk as the client takes them. Undefined when a course is not published.
	 */
	bundle(ids: readonly string[], languages: readonly string[], district = ids.length > 1): ReadableStream<Uint8Array> | undefined {
		const courses = ids.map((id) => this.latest.get(id));
		if (courses.some((course) => !course)) return undefined;
		return writeBundle(
			(courses as PublishedCourse[]).map((course) => {
				const wanted = languages.length > 0 ? course.manifest.languages.filter((l) => languages.includes(l)) : course.manifest.languages;
				const files = [...new Map(wanted.flatMap((language) => filesForLanguage(course.manifest, language)).map((f) => [f.path, f])).values()];
				const order = new Map(course.manifest.files.map((f, i) => [f.path, i]));
				files.sort((a, b) => order.get(a.path)! - order.get(b.path)!);
				return {
					manifestText: course.manifestText,
					signature: course.signature,
					files: files.map((file) => ({ path: file.path, size: file.size, data: () => openAsBlob(join(this.contentDir, file.sha256)) }))
				};
			}),
			{ district }
		);
	}

	private remember(course: PublishedCourse): void {
		const current = this.latest.get(course.manifest.id);
		if (!current || current.manifest.version < course.manifest.version) this.latest.set(course.manifest.id, course);
		for (const file of course.manifest.files) this.content.set(file.sha256, contentTypeFor(file.path));
	}
}
