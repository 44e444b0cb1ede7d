/**
 * How a verified course file is kept: its signed bytes as they are, and for what is rendered as
 * markup (lesson text, SVG images) a sanitised copy beside them, which is what the learner sees.
 */
import type { FileEntry } from '$lib/course-format/manifest';
import type { StoredFile } from './content-db';

/** What gets a sanitised copy, and how it is made (DOMPurify in the app). */
export interface Sanitize {
	html(text: string): string | Promise<string>;
	svg(text: string): string | Promise<string>;
}

export async function storedFile(entry: FileEntry, blob: Blob, sanitize: Sanitize | undefined): Promise<StoredFile> {
	const kind = entry.path.endsWith('.html') ? 'html' : entry.path.endsWith('.svg') ? 'svg' : undefined;
	if (!kind || !sanitize) return { sha256: entry.sha256, blob };
	const safe = await sanitize[kind](await blob.text());
	return { sha256: entry.sha256, blob, display: new Blob([safe], { type: blob.type }) };
}
