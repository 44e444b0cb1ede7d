/**
 * Publisher signatures: Ed25519 over the exact bytes of manifest.json (no re-serialising, so no
 * canonical-JSON pitfalls). The manifest holds every file's SHA-256, so a valid signature vouches
 * for every byte of the course. WebCrypto in the browser and in Node; no home-made crypto.
 */
import { fromBase64, toBase64 } from './bytes.js';

const ED25519 = { name: 'Ed25519' } as const;

/** WebCrypto's key type, named so that browser and Node type libraries agree. */
type Key = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

export interface PublisherKeyPair {
	/** Raw 32-byte public key, base64: what apps trust. */
	publicKey: string;
	/** PKCS#8 private key, base64: what the publisher keeps secret. */
	privateKey: string;
}

export async function generatePublisherKeys(): Promise<PublisherKeyPair> {
	const pair = (await crypto.subtle.generateKey(ED25519, true, ['sign', 'verify'])) as { publicKey: Key; privateKey: Key };
	return {
		publicKey: toBase64(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))),
		privateKey: toBase64(new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey)))
	};
}

export async function signManifest(manifestBytes: Uint8Array, privateKey: string): Promise<string> {
	const key = await crypto.subtle.importKey('pkcs8', fromBase64(privateKey) as Uint8Array<ArrayBuffer>, ED25519, false, ['sign']);
	return toBase64(new Uint8Array(await crypto.subtle.sign(ED25519, key, manifestBytes as Uint8Array<ArrayBuffer>)));
}

/** True only for a well-formed signature by this key over exactly these bytes. */
export async function verifyManifest(manifestBytes: Uint8Array, signature: string, publicKey: string): Promise<boolean> {
	try {
		const key = await crypto.subtle.importKey('raw', fromBase64(publicKey) as Uint8Array<ArrayBuffer>, ED25519, false, ['verify']);
		const signatureBytes = fromBase64(signature);
		if (signatureBytes.length !== 64) return false;
		return await crypto.subtle.verify(ED25519, key, signatureBytes as Uint8Array<ArrayBuffer>, manifestBytes as Uint8Array<ArrayBuffer>);
	} catch {
		// Malformed base64 or a key of the wrong length is simply not a valid signature.
		return false;
	}
}
