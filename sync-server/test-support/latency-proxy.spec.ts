import { once } from 'node:events';
import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import { createConnection, type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LatencyProxy } from './latency-proxy.js';

/** What the target saw of each request. */
interface Seen {
	method: string;
	url: string;
	body: Buffer;
	contentEncoding?: string;
}

let target: Server;
let targetOrigin: string;
let seen: Seen[];
let proxy: LatencyProxy;
let agent: Agent;

beforeEach(async () => {
	seen = [];
	target = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			seen.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks), contentEncoding: req.headers['content-encoding'] });
			if (req.url === '/missing') res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found","reason":"missing"}');
			else res.writeHead(200, { 'content-type': 'text/plain', 'x-answer': 'yes' }).end(`answer to ${req.method} ${req.url}`);
		});
	});
	target.listen(0, '127.0.0.1');
	await once(target, 'listening');
	targetOrigin = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
	proxy = await LatencyProxy.start({ target: targetOrigin });
	agent = new Agent({ keepAlive: true, maxSockets: 1 });
});

afterEach(async () => {
	agent.destroy();
	await proxy.close();
	target.closeAllConnections();
	target.close();
});

/** A request through the proxy on the test's keep-alive agent. */
async function send(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: IncomingMessage['headers'] }> {
	const req = request(`${proxy.origin}${path}`, { method, agent, headers });
	req.end(body);
	const [res] = (await once(req, 'response')) as [IncomingMessage];
	const chunks: Buffer[] = [];
	for await (const chunk of res) chunks.push(chunk as Buffer);
	return { status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString(), headers: res.headers };
}

describe('latency proxy', () => {
	it('forwards method, path, body, status and headers, and records each request', async () => {
		const answer = await send('POST', '/db/_bulk_docs?x=1', Buffer.from('{"docs":[]}'), { 'content-type': 'application/json' });
		expect(answer).toMatchObject({ status: 200, text: 'answer to POST /db/_bulk_docs?x=1' });
		expect(answer.headers['x-answer']).toBe('yes');
		expect(seen).toEqual([{ method: 'POST', url: '/db/_bulk_docs?x=1', body: Buffer.from('{"docs":[]}'), contentEncoding: undefined }]);

		const missing = await send('GET', '/missing');
		expect(missing.status).toBe(404);
		expect(proxy.requests.map((r) => [r.method, r.path, r.status, r.newConnection])).toEqual([
			['POST', '/db/_bulk_docs?x=1', 200, true],
			['GET', '/missing', 404, false]
		]);
		expect(proxy.requests[0]).toMatchObject({ requestBodyBytes: 11, responseBodyBytes: 'answer to POST /db/_bulk_docs?x=1'.length });
		expect(proxy.wire().connections).toBe(1);
	});

	it('counts the exact bytes on the client connection, headers included', async () => {
		const requestText = 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello';
		const socket = createConnection({ host: '127.0.0.1', port: proxy.port });
		const received: Buffer[] = [];
		socket.on('data', (chunk: Buffer) => received.push(chunk));
		socket.write(requestText);
		await once(socket, 'close');
		const reply = Buffer.concat(received);
		expect(reply.toString()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*answer to POST \/echo\r\n/);
		expect(proxy.wire()).toEqual({ up: Buffer.byteLength(requestText), down: reply.length, connections: 1 });
		expect(proxy.requests[0]!.requestHeaderBytes + proxy.requests[0]!.requestBodyBytes).toBe(Buffer.byteLength(requestText));
	});

	it('passes compressed bodies through as they are and counts them compressed', async () => {
		const json = JSON.stringify({ docs: Array.from({ length: 200 }, (_, i) => ({ _id: `event:${i}`, type: 'lesson-opened' })) });
		const gzipped = gzipSync(json);
		await send('POST', '/db/_bulk_docs', gzipped, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
		expect(seen[0]!.contentEncoding).toBe('gzip');
		expect(seen[0]!.body.equals(gzipped)).toBe(true);
		expect(proxy.requests[0]!.requestBodyBytes).toBe(gzipped.length);
		expect(proxy.wire().up).toBeLessThan(json.length);
	});

	it('adds a round trip per request, and one more for a new connection', async () => {
		proxy.rttMs = 200;
		let started = performance.now();
		await send('GET', '/first');
		// No upper bounds: this machine is too noisy for them.
		expect(performance.now() - started).toBeGreaterThanOrEqual(400);
		started = performance.now();
		await send('GET', '/second');
		expect(performance.now() - started).toBeGreaterThanOrEqual(200);
		expect(proxy.requests.map((r) => r.newConnection)).toEqual([true, false]);
	});

	it('tells requests made one after another from requests made together', async () => {
		proxy.rttMs = 40;
		for (const path of ['/a', '/b', '/c']) await send('GET', path);
		expect(proxy.sequentialRequests()).toBe(3);

		proxy.reset();
		const together = new Agent({ keepAlive: true, maxSockets: 10 });
		const parallel = ['/d', '/e', '/f'].map(async (path) => {
			const req = request(`${proxy.origin}${path}`, { agent: together });
			req.end();
			const [res] = (await once(req, 'response')) as [IncomingMessage];
			res.resume();
			await once(res, 'end');
		});
		await Promise.all(parallel);
		together.destroy();
		expect(proxy.requests).toHaveLength(3);
		expect(proxy.sequentialRequests()).toBe(1);
	});

	it('drops open connections, so the next request opens a new one', async () => {
		await send('GET', '/a');
		expect(await proxy.dropConnections()).toBe(1);
		// The client learns of it when the close reaches it, as a phone's fetch would.
		await expect.poll(() => Object.keys(agent.freeSockets).length).toBe(0);
		await send('GET', '/b');
		expect(proxy.requests.map((r) => r.newConnection)).toEqual([true, true]);
		expect(proxy.wire().connections).toBe(2);
		// Bytes of the dropped connection still count.
		expect(proxy.wire().up).toBe(proxy.requests[0]!.requestHeaderBytes + proxy.requests[1]!.requestHeaderBytes);
	});

	it('says when no request is in flight', async () => {
		await proxy.whenIdle();
		proxy.rttMs = 100;
		const answered = send('GET', '/slow');
		await expect.poll(() => proxy.pending).toBe(1);
		let idle = false;
		const waiting = proxy.whenIdle().then(() => (idle = true));
		expect(idle).toBe(false);
		await answered;
		await waiting;
		expect(proxy.pending).toBe(0);
	});

	it('starts counting afresh on reset', async () => {
		await send('GET', '/a');
		expect(proxy.wire().down).toBeGreaterThan(0);
		proxy.reset();
		expect(proxy.wire()).toEqual({ up: 0, down: 0, connections: 0 });
		expect(proxy.requests).toEqual([]);
		await send('GET', '/b');
		expect(proxy.requests).toHaveLength(1);
		expect(proxy.wire().up).toBe(proxy.requests[0]!.requestHeaderBytes);
	});

	it('answers 502 when the server cannot be reached', async () => {
		const dead = await LatencyProxy.start({ target: 'http://127.0.0.1:1' });
		try {
			const res = await fetch(`${dead.origin}/x`);
			expect(res.status).toBe(502);
		} finally {
			await dead.close();
		}
	});

	it('maps a server URL onto the proxy', () => {
		expect(proxy.via(`${targetOrigin}/sync/learner-1?x=y`)).toBe(`${proxy.origin}/sync/learner-1?x=y`);
	});
});
