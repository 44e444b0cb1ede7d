/** A stand-in for the sync-server's course routes, with switches for the faults a phone meets. */
import type { SignedSample } from '$lib/course-format/test-support/sample-bundle';
// The real server's patch maker, so the app is tested against the patches it will meet.
import { makeManifestPatch } from '../../../../sync-server/src/courses/manifest-patch';

export interface FakeCourseServer {
	fetch: typeof fetch;
	/** Every URL asked for, in order. */
	requests: string[];
	/** Cut the connection (fetch rejects) after this many more file requests. */
	cutAfter(files: number): void;
	/** Serve this sample from now on (a new version is published). */
	publish(sample: SignedSample): void;
	/** Serve wrong bytes for one file. */
	corrupt(path: string): void;
	/** Send patches that do not rebuild the signed text (a server bug, or tampering). */
	breakPatches(): void;
	/** Answer for one file only after this many milliseconds. */
	delay(path: string, ms: number): void;
}

export function fakeCourseServer(initial: SignedSample): FakeCourseServer {
	let sample = initial;
	let filesLeft = Infinity;
	const corrupted = new Set<string>();
	const delays = new Map<string, number>();
	const requests: string[] = [];
	const published = new Map<number, string>();
	let brokenPatches = false;
	const textOf = (s: SignedSample) => new TextDecoder().decode(s.manifestBytes);
	published.set(initial.manifest.version, textOf(initial));
	const fetcher = (async (input: RequestInfo | URL) => {
		const url = String(input);
		requests.push(url);
		const [path, query] = url.split('?');
		if (path === `/api/courses/${sample.manifest.id}`) {
			const have = Number(new URLSearchParams(query).get('have'));
			const old = published.get(have);
			const ops = old !== undefined && have < sample.manifest.version ? makeManifestPatch(old, textOf(sample)) : undefined;
			if (ops) {
				if (brokenPatches) ops.push('x');
				return Response.json({ version: sample.manifest.version, patch: { from: have, ops }, signature: sample.signature });
			}
			return Response.json({ manifest: textOf(sample), signature: sample.signature });
		}
		if (url.startsWith('/content/')) {
			if (filesLeft-- <= 0) throw new TypeError('Failed to fetch');
			const entry = sample.manifest.files.find((f) => url === `/content/${f.sha256}`);
			if (!entry) return Response.json({ error: 'not_found' }, { status: 404 });
			const wait = delays.get(entry.path);
			if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
			const bytes = sample.files.get(entry.path)!;
			const body = corrupted.has(entry.path) ? bytes.map((b) => b ^ 1) : bytes;
			return new Response(new Blob([body as BlobPart]));
		}
		return Response.json({ error: 'not_found' }, { status: 404 });
	}) as typeof fetch;
	return {
		fetch: fetcher,
		requests,
		cutAfter: (files) => {
			filesLeft = files;
		},
		publish: (next) => {
			sample = next;
			published.set(next.manifest.version, textOf(next));
			filesLeft = Infinity;
		},
		corrupt: (path) => corrupted.add(path),
		breakPatches: () => {
			brokenPatches = true;
		},
		delay: (path, ms) => delays.set(path, ms)
	};
}
