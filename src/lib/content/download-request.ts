/** How a download talks to the server, and the failures it reports in the learner's terms. */
import type { BundleError } from '$lib/course-format/verify';

export type DownloadFailure = 'offline' | 'server' | 'not_offered' | BundleError['code'];

export class DownloadError extends Error {
	override name = 'DownloadError';
	constructor(
		readonly code: DownloadFailure,
		message: string
	) {
		super(message);
	}
}

/** A request whose failures say whether to wait for the network ('offline') or not ('server'). */
export async function request(fetcher: typeof fetch, url: string, signal?: AbortSignal, init: RequestInit = {}): Promise<Response> {
	let response: Response;
	try {
		response = await fetcher(url, { ...init, signal });
	} catch (error) {
		if (signal?.aborted) throw error;
		throw new DownloadError('offline', `no connection to the server (${url})`);
	}
	if (!response.ok) throw new DownloadError('server', `the server answered ${response.status} for ${url}`);
	return response;
}
