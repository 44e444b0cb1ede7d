/**
 * Lesson HTML is sanitised again on the phone before it is stored (DOMPurify): a bundle is
 * untrusted input even when its signature holds. The allowed set mirrors the CLI's build policy;
 * no styles, no scripts, no event handlers, images only from the bundle.
 */
import DOMPurify from 'dompurify';
import type { Sanitize } from './stored-file';

const ALLOWED_TAGS = ['h2', 'h3', 'h4', 'p', 'br', 'hr', 'ul', 'ol', 'li', 'strong', 'em', 'blockquote', 'code', 'pre', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'img'];
const ALLOWED_ATTR = ['href', 'title', 'rel', 'target', 'src', 'alt', 'start'];

let hooked = false;

export function sanitizeLessonHtml(html: string): string {
	if (!hooked) {
		DOMPurify.addHook('afterSanitizeAttributes', (node) => {
			// Images only from inside the bundle (relative paths), never from the network.
			if (node.tagName === 'IMG' && /^(?:[a-z][a-z0-9+.-]*:|\/)/i.test(node.getAttribute('src') ?? '')) node.removeAttribute('src');
			if (node.tagName === 'A') {
				node.setAttribute('rel', 'noopener noreferrer');
				node.setAttribute('target', '_blank');
			}
		});
		hooked = true;
	}
	return DOMPurify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR, ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|media\/)/i });
}

/**
 * An SVG image's shown copy: shapes and text only. Shown through <img>, an SVG cannot run script
 * anyway; sanitised too, so that opening the stored file by itself cannot either.
 */
export function sanitizeSvgImage(svg: string): string {
	return DOMPurify.sanitize(svg, { USE_PROFILES: { svg: true, svgFilters: true }, FORBID_TAGS: ['a', 'foreignObject', 'use'] });
}

/** The app's sanitiser for course files (download and import). */
export const lessonSanitizer: Sanitize = { html: sanitizeLessonHtml, svg: sanitizeSvgImage };
