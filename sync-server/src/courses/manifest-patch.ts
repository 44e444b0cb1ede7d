/**
 * Makes the patch from one signed manifest to the next (src/lib/course-format/manifest-patch.ts
 * applies it on the phone). A character diff, bounded: when two versions differ too much to be
 * worth patching, there is no patch and the phone gets the whole manifest.
 */
import { diffChars } from 'diff';
import type { ManifestPatchOp } from '../../../src/lib/course-format/manifest-patch.js';

/**
 * Beyond this many changed characters, sending the whole text is as good. The time limit only
 * guards against a pathological pair; the result is cached per version pair, so it is paid once.
 */
const MAX_EDIT_LENGTH = 4_000;
const TIMEOUT_MS = 2_000;

export function makeManifestPatch(oldText: string, newText: string): ManifestPatchOp[] | undefined {
	const changes = diffChars(oldText, newText, { maxEditLength: MAX_EDIT_LENGTH, timeout: TIMEOUT_MS });
	if (!changes) return undefined;
	const ops: ManifestPatchOp[] = [];
	for (const change of changes) {
		if (change.added) ops.push(change.value);
		else ops.push(change.removed ? -change.value.length : change.value.length);
	}
	// Only worth it when clearly smaller than the text it replaces.
	return JSON.stringify(ops).length < newText.length / 2 ? ops : undefined;
}
