/** A stand-in for the sync-server's course routes, with switches for the faults a phone meets. */
import type { FileEntry } from '$lib/course-format/manifest';
import type { SignedSample } from '$lib/course-format/test-support/sample-bundle';
// The real server's patch maker, so the app is tested against the patches it will meet.
import { makeManifestPatch } from '../../../../sync-server/src/courses/manifest-patch';

export interface FakeCourseServer {
	fetch: typeof fetch;
	/** Every URL asked for, in order. */
	requests: string[];
	/** The SHA-256s each content pack asked for, in order. */
	packs: string[][];
	/**
	 * Cut the connection once this many more files have been sent whole: the pack under way
	 * breaks off half-way through its next file, and a pack asked for after that fails at once.
	 */
	cutAfter(files: number): void;
	/** Serve this sample from now on (a new version is published), with the connection restored. */
	publish(sample: SignedSample): void;
	/** Serve wrong bytes for one file. */
	corrupt(path: string): void;
	/** Send patches that do not rebuild the signed text (a server bug, or tampering). */
	breakPatches(): void;
	/** Send one file's bytes only after this many milliseconds (the fake ignores abort signals, like bytes already on their way). */
	delay(path: string, ms: number): void;
	/** End every pack cleanly but this many bytes long (+) or short (−): a buggy server or proxy. */
	skewPacks(bytes: number): void;
}

const concat = (a: Uint8Array, b: Uint8Array) => {
	const joined = new Uint8Array(a.length + b.length);
	joined.set(a);
	joined.set(b, a.length);
	return joined;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function fakeCourseServer(initial: SignedSample): FakeCourseServer {
	let sample = initial;
	let filesLeft = Infinity;
	let skew = 0;
	const corrupted = new Set<string>();
	const delays = new Map<string, number>();
	const requests: string[] = [];
	const packs: string[][] = [];
	const published = new Map<number, string>();
	let brokenPatches = false;
	const textOf = (s: SignedSample) => new TextDecoder().decode(s.manifestBytes);
	published.set(initial.manifest.version, textOf(initial));

	const bytesOf = (entry: FileEntry) => {
		const bytes = sample.files.get(entry.path)!;
		return corrupted.has(entry.path) ? bytes.map((b) => b ^ 1) : bytes;
	};

	/**
	 * A pack's bytes in chunks that straddle files (the end of one with the start of the next),
	 * as a network delivers them; a file is whole only once the chunk after it has arrived.
	 */
	async function* packChunks(entries: FileEntry[]): AsyncGenerator<Uint8Array> {
		let carry: Uint8Array = new Uint8Array(0);
		for (const entry of entries) {
			// A file is within the allowance if it starts before the cut, however long it then takes.
			const cut = filesLeft-- <= 0;
			const wait = delays.get(entry.path);
			if (wait) {
				if (carry.length > 0) yield carry;
				carry = new Uint8Array(0);
				await sleep(wait);
			}
			const bytes = bytesOf(entry);
			const half = Math.ceil(bytes.length / 2);
			yield concat(carry, bytes.subarray(0, half));
			if (cut) throw new TypeError('network error');
			carry = bytes.subarray(half);
		}
		const tail = skew >= 0 ? concat(carry, new Uint8Array(skew)) : carry.subarray(0, carry.length + skew);
		if (tail.length > 0) yield tail;
	}

	const servePack = (body: string): Response => {
		if (filesLeft <= 0) throw new TypeError('Failed to fetch');
		const { files } = JSON.parse(body) as { files: string[] };
		packs.push(files);
		// As the real server: a pack names each file once.
		if (new Set(files).size !== files.length) return Response.json({ error: 'bad_request' }, { status: 400 });
		const entries = files.map((sha) => sample.manifest.files.find((f) => f.sha256 === sha));
		if (entries.some((entry) => !entry)) return Response.json({ error: 'not_found' }, { status: 404 });
		const chunks = packChunks(entries as FileEntry[]);
		const stream = new ReadableStream<Uint8Array>({
			async pull(controller) {
				try {
					const { done, value } = await chunks.next();
					if (done) controller.close();
					else controller.enqueue(value);
				} catch (error) {
					controller.error(error);
				}
			},
			async cancel() {
				await chunks.return(undefined);
			}
		});
		return new Response(stream, { headers: { 'content-type': 'application/vnd.sikho.pack' } });
	};

	const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
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
		if (path === '/content/pack' && init?.method === 'POST') return servePack(String(init.body));
		return Response.json({ error: 'not_found' }, { status: 404 });
	}) as typeof fetch;

	return {
		fetch: fetcher,
		requests,
		packs,
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
		delay: (path, ms) => delays.set(path, ms),
		skewPacks: (bytes) => {
			skew = bytes;
		}
	};
}
