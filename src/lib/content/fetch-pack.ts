/**
 * Fetches one content pack (src/lib/course-format/content-pack.ts) and cuts the answer into its
 * files by the sizes the signed manifest gives. Each file is checked against its SHA-256 and
 * handed over the moment its last byte arrives, so a connection cut mid-pack loses only the file
 * under way, and a resume asks only for what is still missing.
 */
import type { FileEntry } from '$lib/course-format/manifest';
import { verifyFile } from '$lib/course-format/verify';
import { DownloadError, request } from './download-request';

export interface PackHandlers {
	/** Bytes arrived from the network, not yet verified. */
	onBytes(n: number): void;
	/** A file arrived whole and matches its hash. */
	onFile(entry: FileEntry, bytes: Uint8Array): Promise<void>;
}

function joined(parts: Uint8Array[], size: number): Uint8Array {
	if (parts.length === 1) return parts[0]!;
	const bytes = new Uint8Array(size);
	let offset = 0;
	for (const part of parts) {
		bytes.set(part, offset);
		offset += part.length;
	}
	return bytes;
}

export async function fetchPack(fetcher: typeof fetch, pack: FileEntry[], signal: AbortSignal, { onBytes, onFile }: PackHandlers): Promise<void> {
	const response = await request(fetcher, '/content/pack', signal, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ files: pack.map((f) => f.sha256) })
	});
	const reader = (response.body ?? new Blob([await response.arrayBuffer()]).stream()).getReader();
	let index = 0;
	let parts: Uint8Array[] = [];
	let have = 0;
	// Hands over every file that is complete (an empty file is complete before any byte of it).
	const handOver = async () => {
		while (index < pack.length && have === pack[index]!.size) {
			const entry = pack[index]!;
			const bytes = joined(parts, have);
			parts = [];
			have = 0;
			index++;
			await verifyFile(entry, bytes);
			signal.throwIfAborted();
			await onFile(entry, bytes);
		}
	};
	try {
		await handOver();
		for (;;) {
			let chunk: ReadableStreamReadResult<Uint8Array>;
			try {
				chunk = await reader.read();
			} catch {
				signal.throwIfAborted();
				throw new DownloadError('offline', 'the connection was cut during a pack of course files');
			}
			// Bytes may still be buffered after a stop: none of them may be counted or stored.
			signal.throwIfAborted();
			if (chunk.done) break;
			const value = chunk.value;
			onBytes(value.length);
			for (let offset = 0; offset < value.length; ) {
				const entry = pack[index];
				if (!entry) throw new DownloadError('server', 'the server sent more bytes than the pack’s files hold');
				const take = Math.min(entry.size - have, value.length - offset);
				parts.push(value.subarray(offset, offset + take));
				have += take;
				offset += take;
				await handOver();
			}
		}
		// An answer that ends early is a connection that dropped (a proxy, a phone changing networks).
		if (index < pack.length) throw new DownloadError('offline', 'a pack of course files ended before its last file');
	} finally {
		// Frees the connection when the pack is abandoned half-way; a finished reader ignores it.
		reader.cancel().catch(() => undefined);
	}
}
