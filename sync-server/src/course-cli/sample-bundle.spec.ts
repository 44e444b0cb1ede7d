/**
 * The signed sample bundle in the repository (courses/public-procurement-essentials.zip) is what
 * `npm start` publishes and what a coordinator may copy to phones; the app trusts its publisher's
 * key out of the box. It must stay the sample course's folder, built: when the folder changes,
 * the maintainers, who hold the sample publisher's key, re-sign it (docs/course-bundle.md).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatePublisherKeys } from '../../../src/lib/course-format/signature.js';
import { SHIPPED_PUBLISHERS } from '../../../src/lib/course-format/shipped-publishers.js';
import { buildBundle } from './build-bundle.js';
import { openBundle } from './open-bundle.js';

const FOLDER = join(process.cwd(), 'courses', 'public-procurement-essentials');
const BUNDLE = `${FOLDER}.zip`;

describe('the signed sample bundle', () => {
	it('verifies with the key shipped with the app', async () => {
		const opened = await openBundle(new Uint8Array(await readFile(BUNDLE)), SHIPPED_PUBLISHERS);
		expect(opened.manifest).toMatchObject({ id: 'public-procurement-essentials', publisher: 'sikho-sample' });
		expect(opened.languages).toEqual(opened.manifest.languages);
	});

	it('is the sample course folder as it is now, built', async () => {
		const committed = await openBundle(new Uint8Array(await readFile(BUNDLE)), SHIPPED_PUBLISHERS);
		const rebuilt = await buildBundle(FOLDER, { privateKey: (await generatePublisherKeys()).privateKey, createdAt: new Date(committed.manifest.createdAt) });
		const resign = `the sample course folder changed since its bundle was signed. The maintainers hold the sample publisher's key: raise the course's version and re-sign (docs/course-bundle.md) —
  npm run course -- build courses/public-procurement-essentials courses/public-procurement-essentials.zip --key <sikho-sample.key> --created-at <the release's time>`;
		expect(new TextDecoder().decode(rebuilt.manifestBytes), resign).toBe(new TextDecoder().decode(committed.manifestBytes));
	});
});
