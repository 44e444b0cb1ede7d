import { describe, expect, it } from 'vitest';
import { BundleError, verifyBundleFiles, verifySignedManifest, type BundleProblem } from './verify';
import { generatePublisherKeys, signManifest } from './signature';
import { signedSample } from './test-support/sample-bundle';

const encode = (text: string) => new TextEncoder().encode(text);

async function problemOf(promise: Promise<unknown>): Promise<BundleProblem | 'ok'> {
	try {
		await promise;
		return 'ok';
	} catch (error) {
		if (error instanceof BundleError) return error.code;
		throw error;
	}
}

describe('verifySignedManifest', () => {
	it('returns the manifest of a trusted, correctly signed bundle', async () => {
		const sample = await signedSample();
		const manifest = await verifySignedManifest(sample.manifestBytes, sample.signature, { 'test-publisher': sample.keys.publicKey });
		expect(manifest.id).toBe('sample-course');
	});

	it('names each way a manifest can be refused', async () => {
		const sample = await signedSample();
		const trusted = { 'test-publisher': sample.keys.publicKey };
		const resign = async (text: string) => verifySignedManifest(encode(text), await signManifest(encode(text), sample.keys.privateKey), trusted);

		expect(await problemOf(resign('{not json'))).toBe('not_json');
		expect(await problemOf(resign(JSON.stringify({ ...sample.manifest, format: 9 })))).toBe('unknown_format');
		expect(await problemOf(resign(JSON.stringify({ ...sample.manifest, languages: [] })))).toBe('invalid_manifest');
		expect(await problemOf(verifySignedManifest(sample.manifestBytes, sample.signature, {}))).toBe('unknown_publisher');
		const impostor = await generatePublisherKeys();
		expect(await problemOf(verifySignedManifest(sample.manifestBytes, sample.signature, { 'test-publisher': impostor.publicKey }))).toBe('bad_signature');
	});

	it('does not take inherited object keys for trusted publishers', async () => {
		const sample = await signedSample();
		const text = JSON.stringify({ ...sample.manifest, publisher: 'constructor' });
		const signature = await signManifest(encode(text), sample.keys.privateKey);
		expect(await problemOf(verifySignedManifest(encode(text), signature, {}))).toBe('unknown_publisher');
	});
});

describe('verifyBundleFiles', () => {
	it('accepts exactly the manifest’s files with matching hashes', async () => {
		const sample = await signedSample();
		expect(await problemOf(verifyBundleFiles(sample.manifest, sample.files))).toBe('ok');
	});

	it('accepts a bundle carrying only some languages, each whole, and says which', async () => {
		const sample = await signedSample();
		const hindiOnly = new Map([...sample.files].filter(([path]) => !/\.en\./.test(path)));
		expect(await verifyBundleFiles(sample.manifest, hindiOnly)).toEqual(['hi']);
		expect(await verifyBundleFiles(sample.manifest, sample.files)).toEqual(['en', 'hi']);
	});

	it('refuses a bundle with a language half there, or none at all', async () => {
		const sample = await signedSample();
		const halfEnglish = new Map([...sample.files].filter(([path]) => path !== 'lessons/intro.en.html'));
		expect(await problemOf(verifyBundleFiles(sample.manifest, halfEnglish))).toBe('missing_file');
		const onlyShared = new Map([...sample.files].filter(([path]) => path === 'media/stages.png'));
		expect(await problemOf(verifyBundleFiles(sample.manifest, onlyShared))).toBe('missing_file');
	});

	it('refuses an extra file, a missing file and a changed file', async () => {
		const sample = await signedSample();
		const extra = new Map(sample.files).set('media/extra.png', encode('x'));
		expect(await problemOf(verifyBundleFiles(sample.manifest, extra))).toBe('unexpected_file');

		const missing = new Map(sample.files);
		missing.delete('media/stages.png');
		expect(await problemOf(verifyBundleFiles(sample.manifest, missing))).toBe('missing_file');

		const original = sample.files.get('media/listen.en.ogg')!;
		const tampered = new Map(sample.files).set('media/listen.en.ogg', original.map((b, i) => (i === 0 ? b ^ 1 : b)));
		expect(await problemOf(verifyBundleFiles(sample.manifest, tampered))).toBe('hash_mismatch');
	});
});
