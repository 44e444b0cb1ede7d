/**
 * An HTTP proxy that makes 127.0.0.1 look like a phone's network: every request reaches the
 * server half a round trip after the client sent it, every answer reaches the client half a
 * round trip after the server sent it, and the first request on a new connection waits one more
 * round trip (the TCP handshake). It records each request and counts the bytes on the wire, so a
 * benchmark can say how many requests and round trips a sync took and what it cost.
 *
 * Bytes are counted where they are exact: on the client's sockets (`wire`), headers, chunk framing
 * and bodies as sent — compressed where the peers compressed them. Per request, the record has the
 * header and body bytes as seen by HTTP (without chunk framing), to see which requests cost what.
 */
import { once } from 'node:events';
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DelayLine } from './delay-line.js';

export interface LatencyProxyOptions {
	/** The server's origin, e.g. `http://127.0.0.1:5984`. */
	target: string;
	/** Round trip to emulate, in ms (default 0). Can be changed later through `rttMs`. */
	rttMs?: number;
}

export interface ProxiedRequest {
	method: string;
	/** Path and query as the client asked. */
	path: string;
	/** 0 when the server never answered. */
	status: number;
	/** ms (performance.now()) when the client's request reached the proxy, and when the answer had all left it. */
	sentAt: number;
	doneAt: number;
	/** Whether it was the first request on its connection (and so paid for the handshake). */
	newConnection: boolean;
	/** Request line + headers, and body bytes as received (compressed if the client compressed). */
	requestHeaderBytes: number;
	requestBodyBytes: number;
	responseHeaderBytes: number;
	responseBodyBytes: number;
}

export interface WireBytes {
	/** client → server */
	up: number;
	/** server → client */
	down: number;
	connections: number;
}

// Hop-by-hop headers belong to one connection, not to the message (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

const headerBytes = (startLine: string, raw: readonly string[]) => {
	let bytes = Buffer.byteLength(`${startLine}\r\n\r\n`);
	for (let i = 0; i + 1 < raw.length; i += 2) bytes += Buffer.byteLength(`${raw[i]}: ${raw[i + 1]}\r\n`);
	return bytes;
};

function forwardable(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
	const out: OutgoingHttpHeaders = {};
	for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
	return out;
}

type Step = { kind: 'head' } | { kind: 'chunk'; data: Buffer } | { kind: 'end' };

export class LatencyProxy {
	/** Half of it is added each way; a new connection's first request pays one more. */
	rttMs: number;
	readonly requests: ProxiedRequest[] = [];
	private readonly sockets = new Set<Socket>();
	private readonly served = new WeakSet<Socket>();
	private closedUp = 0;
	private closedDown = 0;
	private connectionCount = 0;
	private baseline: WireBytes = { up: 0, down: 0, connections: 0 };
	private inFlight = 0;
	private idleWaiters: Array<() => void> = [];
	private readonly agent = new Agent({ keepAlive: true });
	private readonly target: URL;

	private constructor(
		private readonly server: Server,
		options: LatencyProxyOptions
	) {
		this.rttMs = options.rttMs ?? 0;
		this.target = new URL(options.target);
	}

	static async start(options: LatencyProxyOptions): Promise<LatencyProxy> {
		const server = createServer();
		const proxy = new LatencyProxy(server, options);
		server.on('connection', (socket: Socket) => proxy.track(socket));
		server.on('request', (req: IncomingMessage, res: ServerResponse) => proxy.forward(req, res));
		server.listen(0, '127.0.0.1');
		await once(server, 'listening');
		return proxy;
	}

	get port(): number {
		return (this.server.address() as AddressInfo).port;
	}

	/** `http://127.0.0.1:<port>`: the target's origin as the client should see it. */
	get origin(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** The same URL with the proxy's origin: `via('http://server/db/x')` → `http://127.0.0.1:<port>/db/x`. */
	via(url: string): string {
		const u = new URL(url);
		return `${this.origin}${u.pathname}${u.search}`;
	}

	/** Bytes on the client's connections since start or `reset()`, headers and framing included. */
	wire(): WireBytes {
		let up = this.closedUp;
		let down = this.closedDown;
		for (const socket of this.sockets) {
			up += socket.bytesRead;
			down += socket.bytesWritten;
		}
		return { up: up - this.baseline.up, down: down - this.baseline.down, connections: this.connectionCount - this.baseline.connections };
	}

	/** Starts counting afresh: the request log and the wire bytes. Open connections stay open. */
	reset(): void {
		this.requests.length = 0;
		this.baseline = { up: 0, down: 0, connections: 0 };
		this.baseline = this.wire();
	}

	/**
	 * The most requests that ran one after another, each sent after the previous was answered: the
	 * round trips the client could not overlap (the greedy earliest-finish chain is the longest).
	 */
	sequentialRequests(): number {
		let chain = 0;
		let freeAt = -Infinity;
		for (const r of this.requests.filter((r) => r.doneAt > 0).sort((a, b) => a.doneAt - b.doneAt)) {
			if (r.sentAt >= freeAt) {
				chain++;
				freeAt = r.doneAt;
			}
		}
		return chain;
	}

	/** Requests received and not yet answered in full (or abandoned). */
	get pending(): number {
		return this.inFlight;
	}

	/** Resolves when no request is in flight: a client may still send one after its own work says done. */
	whenIdle(): Promise<void> {
		if (this.inFlight === 0) return Promise.resolve();
		return new Promise((resolve) => this.idleWaiters.push(resolve));
	}

	/**
	 * Closes every client connection (as a phone that lost its network finds them gone): the
	 * next requests open new ones and pay for the handshake. Resolves once they are closed.
	 */
	async dropConnections(): Promise<number> {
		const open = [...this.sockets];
		for (const socket of open) socket.destroy();
		await Promise.all(open.map((socket) => (socket.closed ? undefined : once(socket, 'close'))));
		return open.length;
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		this.agent.destroy();
		this.server.close();
		await once(this.server, 'close');
	}

	private track(socket: Socket): void {
		this.connectionCount++;
		this.sockets.add(socket);
		socket.on('close', () => {
			this.sockets.delete(socket);
			this.closedUp += socket.bytesRead;
			this.closedDown += socket.bytesWritten;
		});
	}

	private forward(req: IncomingMessage, res: ServerResponse): void {
		const newConnection = !this.served.has(req.socket);
		this.served.add(req.socket);
		const record: ProxiedRequest = {
			method: req.method ?? 'GET',
			path: req.url ?? '/',
			status: 0,
			sentAt: performance.now(),
			doneAt: 0,
			newConnection,
			requestHeaderBytes: headerBytes(`${req.method} ${req.url} HTTP/${req.httpVersion}`, req.rawHeaders),
			requestBodyBytes: 0,
			responseHeaderBytes: 0,
			responseBodyBytes: 0
		};
		this.requests.push(record);
		this.inFlight++;
		res.on('close', () => {
			if (--this.inFlight > 0) return;
			for (const resolve of this.idleWaiters.splice(0)) resolve();
		});
		const half = () => this.rttMs / 2;

		let upstream: ReturnType<typeof httpRequest> | undefined;
		const toServer = new DelayLine<Step>((step) => {
			if (step.kind === 'head') {
				upstream = httpRequest(
					{
						host: this.target.hostname,
						port: this.target.port,
						method: req.method,
						path: req.url,
						headers: { ...forwardable(req.headers), host: this.target.host },
						agent: this.agent
					},
					(answer) => this.answer(answer, res, record)
				);
				upstream.on('error', () => {
					if (!res.headersSent) res.writeHead(502).end();
					else res.destroy();
				});
			} else if (step.kind === 'chunk') upstream?.write(step.data);
			else upstream?.end();
		});
		// A new connection's first request waits for the handshake too.
		toServer.push({ kind: 'head' }, newConnection ? this.rttMs + half() : half());
		req.on('data', (data: Buffer) => {
			record.requestBodyBytes += data.length;
			toServer.push({ kind: 'chunk', data }, half());
		});
		req.on('end', () => toServer.push({ kind: 'end' }, half()));
		// The client gave up (or was cut): so does the request to the server.
		res.on('close', () => {
			if (!res.writableFinished) {
				toServer.stop();
				upstream?.destroy();
			}
		});
	}

	private answer(answer: IncomingMessage, res: ServerResponse, record: ProxiedRequest): void {
		const half = this.rttMs / 2;
		record.status = answer.statusCode ?? 0;
		const toClient = new DelayLine<Step>((step) => {
			if (step.kind === 'head') {
				res.writeHead(answer.statusCode ?? 502, answer.statusMessage, forwardable(answer.headers));
				record.responseHeaderBytes = headerBytes(`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage ?? ''}`, answer.rawHeaders);
			} else if (step.kind === 'chunk') res.write(step.data);
			else {
				res.end();
				record.doneAt = performance.now();
			}
		});
		toClient.push({ kind: 'head' }, half);
		answer.on('data', (data: Buffer) => {
			record.responseBodyBytes += data.length;
			toClient.push({ kind: 'chunk', data }, half);
		});
		answer.on('end', () => toClient.push({ kind: 'end' }, half));
		answer.on('error', () => {
			toClient.stop();
			res.destroy();
		});
		res.on('close', () => {
			if (!res.writableFinished) {
				toClient.stop();
				answer.destroy();
			}
		});
	}
}
