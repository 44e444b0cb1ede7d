/**
 * The public page that confirms a certificate: plain HTML, no script, one constant style block
 * allowed by its hash (so the page's CSP needs neither 'unsafe-inline' nor a nonce). Whoever
 * holds a certificate number sees what the printed certificate already says: the learner's name
 * and district, the course, the date and the score. Nothing else about the learner.
 *
 * In English with Hindi beside each heading: an employer or an office checking a certificate in
 * India reads one or the other, and the server has no Paraglide (that is the app's). Names and
 * course titles keep their own script and direction (`dir="auto"`). Everything shown is escaped.
 */
import { createHash } from 'node:crypto';
import type { Certificate } from '../../../src/lib/progress-model/certificate.js';

const STYLE = `body{margin:0;font:1rem/1.5 system-ui,sans-serif;color:#1b1b1b;background:#f4f6f5}
main{max-width:36rem;margin:2rem auto;padding:1.5rem;background:#fff;border:6px double #0b6e4f;border-radius:.75rem}
h1{font-size:1.4rem;margin:.5rem 0 1rem}
h1 span,dt span{display:block;font-size:.85em;font-weight:400;color:#4a4a4a}
.verified{display:inline-block;margin:0;padding:.25rem .75rem;border-radius:1rem;background:#d8f0e3;color:#0b4d37;font-weight:700}
.missing{background:#fbe3d6;color:#7a2e0b}
dl{display:grid;grid-template-columns:minmax(8rem,auto) 1fr;gap:.5rem 1rem;margin:0}
dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
.name{font-size:1.25rem;font-weight:700;color:#0b6e4f}
.note{margin-top:1.5rem;font-size:.9rem;color:#4a4a4a}
@media print{body{background:#fff}main{margin:0;border-color:#000}}`;

/** The page's CSP: nothing may load or run but the style block above. */
export const VERIFY_PAGE_CSP = [
	"default-src 'none'",
	`style-src 'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`,
	"base-uri 'none'",
	"form-action 'none'",
	"frame-ancestors 'none'"
].join('; ');

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** A heading in English with its Hindi beside it. */
const both = (en: string, hi: string) => `${en} <span lang="hi">${hi}</span>`;

const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });

function page(title: string, body: string): string {
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title} · Sikho</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The course's title in English and Hindi when it has them, else in its first language. */
function courseTitles(titles: Certificate['courseTitle']): string {
	const languages = ['en', 'hi'].filter((language) => titles[language] !== undefined);
	const shown = languages.length > 0 ? languages : Object.keys(titles).slice(0, 1);
	return shown.map((language) => `<span lang="${escapeHtml(language)}" dir="auto">${escapeHtml(titles[language]!)}</span>`).join('<br>');
}

export function verifiedPage(certificate: Certificate): string {
	const row = (term: string, value: string) => `<dt>${term}</dt><dd>${value}</dd>`;
	const rows = [
		row(both('Learner', 'शिक्षार्थी'), `<bdi class="name" dir="auto">${escapeHtml(certificate.name)}</bdi>`),
		row(both('District', 'ज़िला'), `<bdi dir="auto">${escapeHtml(certificate.district)}</bdi>`),
		row(both('Course', 'पाठ्यक्रम'), courseTitles(certificate.courseTitle)),
		row(both('Completed on', 'पूरा करने की तिथि'), `<time datetime="${escapeHtml(certificate.completedAt)}">${escapeHtml(day.format(new Date(certificate.completedAt)))}</time>`),
		...(certificate.percent === undefined ? [] : [row(both('Score', 'अंक'), `${Math.round(certificate.percent)}%`)]),
		row(both('Certificate number', 'प्रमाणपत्र संख्या'), `<code>${escapeHtml(certificate.certificateId)}</code>`)
	];
	return page(
		'Certificate verified',
		`<p class="verified">✓ Verified · <span lang="hi">सत्यापित</span></p>
<h1>${both('Certificate of completion', 'पूर्णता प्रमाणपत्र')}</h1>
<dl>
${rows.join('\n')}
</dl>
<p class="note">Issued by this Sikho server on <time datetime="${escapeHtml(certificate.issuedAt)}">${escapeHtml(day.format(new Date(certificate.issuedAt)))}</time>, after it checked every lesson and re-scored every quiz answer itself.</p>`
	);
}

export function notFoundPage(): string {
	return page(
		'No certificate with this number',
		`<p class="verified missing">✗ Not verified · <span lang="hi">सत्यापित नहीं</span></p>
<h1>${both('No certificate with this number', 'इस संख्या का कोई प्रमाणपत्र नहीं है')}</h1>
<p>Check the number against the printed certificate, or scan its QR code again.</p>
<p lang="hi">छपे हुए प्रमाणपत्र से संख्या मिलाएँ, या उसका QR कोड फिर से स्कैन करें।</p>`
	);
}
