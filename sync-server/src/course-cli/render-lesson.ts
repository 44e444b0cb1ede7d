/**
 * Lesson Markdown → sanitised HTML, at build time with maintained libraries (markdown-it,
 * sanitize-html). Images are checked (in the course folder, alt text, known type) and rewritten to
 * their path in the bundle. The app sanitises again when it stores a lesson: a bundle is untrusted.
 */
import { stat } from 'node:fs/promises';
import { basename, extname, join, posix } from 'node:path';
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { bundlePathSchema } from '../../../src/lib/course-format/manifest.js';
import type { SourceProblem } from './source-problems.js';
import { readSourceFile } from './source-yaml.js';

export const IMAGE_TYPES = ['.png', '.jpg', '.jpeg', '.webp', '.gif', '.svg'];

const markdown = new MarkdownIt({ html: false, linkify: false });

const POLICY: sanitizeHtml.IOptions = {
	allowedTags: ['h2', 'h3', 'h4', 'p', 'br', 'hr', 'ul', 'ol', 'li', 'strong', 'em', 'blockquote', 'code', 'pre', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'img'],
	allowedAttributes: { a: ['href', 'title', 'rel', 'target'], img: ['src', 'alt', 'title'], ol: ['start'] },
	allowedSchemes: ['https', 'http', 'mailto'],
	// Images come only from the bundle itself, by relative path.
	allowedSchemesByTag: { img: [] },
	allowProtocolRelative: false,
	transformTags: {
		a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer', target: '_blank' } })
	}
};

export interface MediaFile {
	/** Path in the course folder. */
	source: string;
	/** Path in the bundle. */
	bundlePath: string;
}

export interface RenderedLesson {
	html: string;
	media: MediaFile[];
}

/** Where a media file goes in the bundle; a problem if its name cannot be a bundle path. */
export function mediaBundlePath(source: string): string | undefined {
	const path = `media/${basename(source)}`;
	return bundlePathSchema.safeParse(path).success ? path : undefined;
}

export async function renderLesson(courseDir: string, file: string): Promise<{ lesson: RenderedLesson; problems: SourceProblem[] }> {
	const text = (await readSourceFile(courseDir, file)).toString('utf8');
	const tokens = markdown.parse(text, {});
	const problems: SourceProblem[] = [];
	const media: MediaFile[] = [];

	for (const block of tokens) {
		const line = (block.map?.[0] ?? 0) + 1;
		if (block.type === 'heading_open' && block.tag === 'h1') {
			problems.push({ file, line, message: 'use "##" for headings: the lesson title is the page heading' });
		}
		for (const token of block.children ?? []) {
			if (token.type !== 'image') continue;
			const src = String(token.attrGet('src') ?? '');
			const before = problems.length;
			const say = (message: string) => problems.push({ file, line, message: `image "${src}": ${message}` });
			if (!token.content.trim()) say('needs alt text (what the picture shows, for those who cannot see it)');
			if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('/')) {
				say('must be a file in the course folder, not an address');
				continue;
			}
			const source = posix.normalize(posix.join(posix.dirname(file), src));
			if (source.startsWith('../')) {
				say('is outside the course folder');
				continue;
			}
			if (!IMAGE_TYPES.includes(extname(source).toLowerCase())) say(`must be one of ${IMAGE_TYPES.join(', ')}`);
			const bundlePath = mediaBundlePath(source);
			if (!bundlePath) say('file names use lower-case letters, digits, ".", "_" and "-" only');
			if (!(await stat(join(courseDir, source)).then((s) => s.isFile(), () => false))) say(`file not found: ${source}`);
			// Only a sound image goes into the bundle; the others are already reported.
			if (bundlePath && problems.length === before) {
				token.attrSet('src', bundlePath);
				media.push({ source, bundlePath });
			}
		}
	}

	const html = sanitizeHtml(markdown.renderer.render(tokens, markdown.options, {}), POLICY);
	return { lesson: { html, media }, problems };
}
