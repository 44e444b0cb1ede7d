/** A small, valid, signed course for tests: two languages, a text, an audio and a quiz lesson. */
import { sha256Hex } from '../bytes.js';
import { BUNDLE_FORMAT_VERSION, type Manifest } from '../manifest.js';
import { generatePublisherKeys, signManifest, type PublisherKeyPair } from '../signature.js';

const encode = (text: string) => new TextEncoder().encode(text);

export const SAMPLE_FILES: Record<string, string> = {
	'lessons/intro.en.html': '<h2>Hello</h2><p><img src="media/stages.png" alt="Stages"></p>',
	'lessons/intro.hi.html': '<h2>नमस्ते</h2><p><img src="media/stages.png" alt="चरण"></p>',
	'media/stages.png': 'PNG-BYTES-SHARED-BY-BOTH-LANGUAGES',
	'media/listen.en.ogg': 'OGG-EN',
	'media/listen.hi.ogg': 'OGG-HI-LONGER',
	'lessons/listen.en.html': '<p>Transcript</p>',
	'lessons/listen.hi.html': '<p>प्रतिलेख</p>',
	'quizzes/check.en.json': '{"lessonId":"check","language":"en","passMark":70,"questions":[]}',
	'quizzes/check.hi.json': '{"lessonId":"check","language":"hi","passMark":70,"questions":[]}'
};

export async function sampleManifest(overrides: Partial<Manifest> = {}, texts: Record<string, string> = SAMPLE_FILES): Promise<Manifest> {
	const files = await Promise.all(
		Object.entries(texts).map(async ([path, text]) => ({ path, size: encode(text).length, sha256: await sha256Hex(encode(text)) }))
	);
	return {
		format: BUNDLE_FORMAT_VERSION,
		id: 'sample-course',
		version: 1,
		publisher: 'test-publisher',
		licence: 'CC-BY-4.0',
		languages: ['en', 'hi'],
		title: { en: 'Sample', hi: 'नमूना' },
		description: { en: 'A sample', hi: 'एक नमूना' },
		passMark: 70,
		modules: [
			{
				id: 'basics',
				title: { en: 'Basics', hi: 'मूल बातें' },
				lessons: [
					{
						id: 'intro',
						kind: 'text',
						minutes: 3,
						title: { en: 'Intro', hi: 'परिचय' },
						content: {
							en: { html: 'lessons/intro.en.html', media: ['media/stages.png'] },
							hi: { html: 'lessons/intro.hi.html', media: ['media/stages.png'] }
						}
					},
					{
						id: 'listen',
						kind: 'audio',
						minutes: 1,
						title: { en: 'Listen', hi: 'सुनिए' },
						content: {
							en: { audio: 'media/listen.en.ogg', transcript: 'lessons/listen.en.html', media: [] },
							hi: { audio: 'media/listen.hi.ogg', transcript: 'lessons/listen.hi.html', media: [] }
						}
					},
					{
						id: 'check',
						kind: 'quiz',
						minutes: 5,
						title: { en: 'Check', hi: 'जाँच' },
						content: { en: { quiz: 'quizzes/check.en.json' }, hi: { quiz: 'quizzes/check.hi.json' } }
					}
				]
			}
		],
		files,
		createdAt: '2026-11-22T00:00:00.000Z',
		...overrides
	};
}

export interface SignedSample {
	keys: PublisherKeyPair;
	manifest: Manifest;
	manifestBytes: Uint8Array;
	signature: string;
	files: Map<string, Uint8Array>;
}

export interface SampleOptions {
	keys?: PublisherKeyPair;
	version?: number;
	/** Files whose text differs from the first version's. */
	changed?: Record<string, string>;
}

export async function signedSample({ keys, version = 1, changed = {} }: SampleOptions = {}): Promise<SignedSample> {
	const publisherKeys = keys ?? (await generatePublisherKeys());
	const texts = { ...SAMPLE_FILES, ...changed };
	const manifest = await sampleManifest({ version }, texts);
	const manifestBytes = encode(JSON.stringify(manifest));
	return {
		keys: publisherKeys,
		manifest,
		manifestBytes,
		signature: await signManifest(manifestBytes, publisherKeys.privateKey),
		files: new Map(Object.entries(texts).map(([path, text]) => [path, encode(text)]))
	};
}
