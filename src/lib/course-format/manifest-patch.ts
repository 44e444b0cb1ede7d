/**
 * A new course version's manifest, sent as the few characters that changed since the version the
 * phone already has. For a version that changes one lesson, the full signed manifest costs more
 * than the lesson itself; the patch costs a few hundred bytes.
 *
 * The patch needs no trust of its own: the phone rebuilds the exact new text and checks the
 * publisher's signature over it, so a wrong or hostile patch can only fail verification.
 *
 * Ops, in order over the old text (lengths in UTF-16 code units, as JavaScript strings count):
 *   n > 0   copy the next n characters of the old text
 *   n < 0   skip the next -n characters of the old text
 *   "text"  insert this text
 */
export type ManifestPatchOp = number | string;

export interface ManifestPatch {
	/** The version the patch starts from: the one the phone said it has. */
	from: number;
	ops: ManifestPatchOp[];
}

export class ManifestPatchError extends Error {
	override name = 'ManifestPatchError';
}

export function applyManifestPatch(oldText: string, ops: readonly unknown[]): string {
	const parts: string[] = [];
	let at = 0;
	for (const op of ops) {
		if (typeof op === 'string') {
			parts.push(op);
		} else if (typeof op === 'number' && Number.isSafeInteger(op) && op !== 0) {
			const length = Math.abs(op);
			if (at + length > oldText.length) throw new ManifestPatchError('the patch runs past the end of the manifest it starts from');
			if (op > 0) parts.push(oldText.slice(at, at + length));
			at += length;
		} else {
			throw new ManifestPatchError('the patch holds an operation that is neither a count nor text');
		}
	}
	if (at !== oldText.length) throw new ManifestPatchError('the patch does not cover the whole manifest it starts from');
	return parts.join('');
}
