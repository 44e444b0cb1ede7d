/**
 * Reads a single-course bundle and checks it through and through: manifest, signature, every file.
 * The same reader as the app's import (src/lib/course-format/bundle-reader.ts), so a hostile
 * bundle sent to the server or the CLI meets the same limits: zip bombs, unsafe paths and
 * duplicate entries are refused before anything is inflated.
 */
import { openBundleFile } from '../../../src/lib/course-format/bundle-reader.js';
import type { Manifest } from '../../../src/lib/course-format/manifest.js';
import { BundleError, type TrustedPublishers } from '../../../src/lib/course-format/verify.js';

export interface OpenedBundle {
	manifest: Manifest;
	manifestBytes: Uint8Array;
	signature: string;
	files: Map<string, Uint8Array>;
	/** The course languages this bundle carries whole. */
	languages: string[];
}

export async function openBundle(zip: Uint8Array | Blob, trusted: TrustedPublishers): Promise<OpenedBundle> {
	const bundle = await openBundleFile(zip instanceof Blob ? zip : new Blob([zip as Uint8Array<ArrayBuffer>]), trusted);
	try {
		if (bundle.kind !== 'course') throw new BundleError('unexpected_file', 'this is a district bundle of several courses; publish each course’s own bundle');
		const [course] = bundle.courses as [(typeof bundle.courses)[number]];
		const files = new Map<string, Uint8Array>();
		for (const entry of course.files) {
			const bytes = new Uint8Array(entry.size);
			let at = 0;
			await bundle.readFile(course, entry, (chunk) => {
				bytes.set(chunk, at);
				at += chunk.length;
			});
			files.set(entry.path, bytes);
		}
		return { manifest: course.manifest, manifestBytes: new TextEncoder().encode(course.manifestText), signature: course.signature, files, languages: course.languages };
	} finally {
		await bundle.close();
	}
}
