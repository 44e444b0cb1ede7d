import { describe, expect, it } from 'vitest';
import { generatePublisherKeys, signManifest, verifyManifest } from './signature';

const bytes = new TextEncoder().encode('{"id":"course"}');

describe('publisher signatures', () => {
	it('verify for the key that signed exactly these bytes', async () => {
		const keys = await generatePublisherKeys();
		const signature = await signManifest(bytes, keys.privateKey);
		expect(await verifyManifest(bytes, signature, keys.publicKey)).toBe(true);
	});

	it('fail when one byte changes', async () => {
		const keys = await generatePublisherKeys();
		const signature = await signManifest(bytes, keys.privateKey);
		const changed = bytes.slice();
		changed[3] = changed[3]! ^ 1;
		expect(await verifyManifest(changed, signature, keys.publicKey)).toBe(false);
	});

	it('fail for another publisher’s key', async () => {
		const [signer, other] = await Promise.all([generatePublisherKeys(), generatePublisherKeys()]);
		expect(await verifyManifest(bytes, await signManifest(bytes, signer.privateKey), other.publicKey)).toBe(false);
	});

	it('fail, without throwing, on garbage', async () => {
		const keys = await generatePublisherKeys();
		expect(await verifyManifest(bytes, 'not base64 at all!', keys.publicKey)).toBe(false);
		expect(await verifyManifest(bytes, btoa('short'), keys.publicKey)).toBe(false);
		expect(await verifyManifest(bytes, await signManifest(bytes, keys.privateKey), btoa('not a key'))).toBe(false);
	});
});
