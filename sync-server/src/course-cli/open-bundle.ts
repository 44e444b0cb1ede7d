/** Reads a bundle zip and checks it through and through: manifest, signature, every file. */
import { unzipSync } from 'fflate';
import { MANIFEST_FILE, SIGNATURE_FILE, type Manifest } from '../../../src/lib/course-format/manifest.js';
import { BundleError, verifyBundleFiles, verifySignedManifest, type TrustedPublishers } from '../../../src/lib/course-format/verify.js';

export interface OpenedBundle {
	manifest: Manifest;
	manifestBytes: Uint8Array;
	signature: string;
	files: Map<string, Uint8Array>;
	/** The course languages this bundle carries whole. */
	languages: string[];
}

export async function openBundle(zip: Uint8Array, trusted: TrustedPublishers): Promise<OpenedBundle> {
	let entries: Record<string, Uint8Array>;
	try {
		entries = unzipSync(zip);
	} catch {
		throw new BundleError('invalid_manifest', 'not a course bundle (not a readable zip file)');
	}
	const manifestBytes = entries[MANIFEST_FILE];
	const signatureBytes = entries[SIGNATURE_FILE];
	if (!manifestBytes) throw new BundleError('invalid_manifest', `the bundle has no ${MANIFEST_FILE}`);
	if (!signatureBytes) throw new BundleError('bad_signature', `the bundle has no ${SIGNATURE_FILE}: it is not signed`);
	const signature = new TextDecoder().decode(signatureBytes);
	const manifest = await verifySignedManifest(manifestBytes, signature, trusted);
	const files = new Map(Object.entries(entries).filter(([path]) => path !== MANIFEST_FILE && path !== SIGNATURE_FILE && !path.endsWith('/')));
	const languages = await verifyBundleFiles(manifest, files);
	return { manifest, manifestBytes, signature, files, languages };
}
