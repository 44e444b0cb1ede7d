/** A stand-in for the sync-server's course routes, with switches for the faults a phone meets. */
import type { SignedSample } from '$lib/course-format/test-support/sample-bundle';

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
	/** Answer for one file only after this many milliseconds. */
	delay(path: string, ms: number): void;
}

export function fakeCourseServer(initial: SignedSample): FakeCourseServer {
	let sample = initial;
	let filesLeft = Infinity;
	const corrupted = new Set<string>();
	const delays = new Map<string, number>();
	const requests: string[] = [];
	const fetcher = (async (input: RequestInfo | URL) => {
		const url = String(input);
		requests.push(url);
		if (url === `/api/courses/${sample.manifest.id}`) {
			return Response.json({ manifest: new TextDecoder().decode(sample.manifestBytes), signature: sample.signature });
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
			filesLeft = Infinity;
		},
		corrupt: (path) => corrupted.add(path),
		delay: (path, ms) => delays.set(path, ms)
	};
}
