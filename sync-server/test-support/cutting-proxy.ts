/**
 * A TCP proxy for fault tests: it stands between a client and a server on 127.0.0.1 and can cut
 * the network after exactly N bytes, so a test can sweep N over a whole sync and check that every
 * cut leaves the learner's data whole and the next sync finishes the job.
 *
 *  - It counts the bytes it passed each way across all connections (`up`: client → server,
 *    `down`: server → client), counted as they leave the proxy.
 *  - `cutAfter({ bytes, direction })`: once that many bytes have passed (since the call) in that
 *    direction (or both together), the chunk that crosses the mark is delivered only up to it and
 *    every open connection is closed at once, both sides, mid-message as a dropped link would.
 *    Afterwards new connections pass again (`then: 'pass'`), or are refused until `comeUp()`
 *    (`then: 'refuse'`: the phone is still out of coverage).
 *  - `rttMs`: each chunk is held half a round trip in each direction, in order. (A new connection
 *    costs no extra round trip here; the HTTP-level latency-proxy.ts emulates that.)
 */
import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { DelayLine } from './delay-line.js';

/** `up`: client → server; `down`: server → client; `either`: both counted together. */
export type Direction = 'up' | 'down' | 'either';

export interface CuttingProxyOptions {
	target: { host: string; port: number };
	/** Round trip to emulate, in ms (default 0). Can be changed later through `rttMs`. */
	rttMs?: number;
}

export interface CutPlan {
	/** Bytes that pass (since this plan was armed) before the cut. */
	bytes: number;
	direction?: Direction;
	/** After the cut: let new connections through, or refuse them until `comeUp()`. Default 'pass'. */
	then?: 'pass' | 'refuse';
}

export interface Cut {
	/** Bytes passed since the plan was armed, when it cut. */
	up: number;
	down: number;
	/** Connections that were open and were closed by the cut. */
	connectionsClosed: number;
}

interface Link {
	client: Socket;
	server: Socket;
	lines: DelayLine<Buffer | null>[];
	closed: boolean;
}

interface Armed {
	plan: Required<CutPlan>;
	up: number;
	down: number;
	resolve: (cut: Cut) => void;
}

export class CuttingProxy {
	/** Half of it is added each way. */
	rttMs: number;
	/** Connections accepted (including refused ones) since start. */
	connections = 0;
	private upBytes = 0;
	private downBytes = 0;
	private readonly links = new Set<Link>();
	private armed: Armed | undefined;
	private down = false;

	private constructor(
		private readonly server: Server,
		private readonly options: CuttingProxyOptions
	) {
		this.rttMs = options.rttMs ?? 0;
	}

	static async start(options: CuttingProxyOptions): Promise<CuttingProxy> {
		const server = createServer();
		const proxy = new CuttingProxy(server, options);
		server.on('connection', (socket) => proxy.accept(socket));
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

	/** Bytes passed since start (or `resetCounts`), each way. */
	get bytes(): { up: number; down: number } {
		return { up: this.upBytes, down: this.downBytes };
	}

	/** Connections open now. */
	get openConnections(): number {
		return this.links.size;
	}

	/** Whether new connections are being refused. */
	get isDown(): boolean {
		return this.down;
	}

	resetCounts(): void {
		this.upBytes = 0;
		this.downBytes = 0;
	}

	/**
	 * Arms a cut; resolves when it happens. One plan at a time: arming again replaces the plan
	 * (the earlier promise then never resolves).
	 */
	cutAfter(plan: CutPlan): Promise<Cut> {
		if (!Number.isInteger(plan.bytes) || plan.bytes < 0) throw new RangeError(`bytes is a whole number ≥ 0, not ${plan.bytes}`);
		return new Promise((resolve) => {
			this.armed = { plan: { direction: 'either', then: 'pass', ...plan }, up: 0, down: 0, resolve };
		});
	}

	disarm(): void {
		this.armed = undefined;
	}

	/** Closes every open connection now and refuses new ones until `comeUp()`. */
	goDown(): number {
		this.down = true;
		return this.closeAll();
	}

	comeUp(): void {
		this.down = false;
	}

	async close(): Promise<void> {
		this.disarm();
		this.closeAll();
		this.server.close();
		await once(this.server, 'close');
	}

	private accept(client: Socket): void {
		this.connections++;
		if (this.down) {
			client.destroy();
			return;
		}
		const server = createConnection(this.options.target);
		const link: Link = { client, server, lines: [], closed: false };
		this.links.add(link);
		link.lines = [this.relay(link, client, server, 'up'), this.relay(link, server, client, 'down')];
		// A failure on either side takes the link down; a clean end travels through the delay line
		// (see relay) so what is still on its way arrives first.
		const fail = () => this.closeLink(link);
		client.on('error', fail);
		server.on('error', fail);
		const closed = () => {
			if (client.destroyed && server.destroyed) this.links.delete(link);
		};
		client.on('close', closed);
		server.on('close', closed);
	}

	/** Carries `from` → `to` through a delay line, counting (and maybe cutting) as bytes leave. */
	private relay(link: Link, from: Socket, to: Socket, direction: 'up' | 'down'): DelayLine<Buffer | null> {
		const line = new DelayLine<Buffer | null>((chunk) => {
			if (link.closed) return;
			if (chunk === null) {
				to.end();
				return;
			}
			const allowed = this.allowance(direction, chunk.length);
			const passed = allowed < chunk.length ? chunk.subarray(0, allowed) : chunk;
			this.count(direction, passed.length);
			if (allowed >= chunk.length && !this.reached()) {
				to.write(passed);
				return;
			}
			// The mark is crossed: what is allowed leaves, then the whole link goes.
			if (passed.length > 0) to.write(passed, () => this.cut());
			else this.cut();
			// Nothing more may pass on this link while the write above drains.
			link.closed = true;
			for (const l of link.lines) l.stop();
		});
		from.on('data', (chunk: Buffer) => line.push(chunk, this.rttMs / 2));
		from.on('end', () => line.push(null, this.rttMs / 2));
		return line;
	}

	/** How many of `length` bytes may still pass before the armed mark (all, when unarmed or not counted). */
	private allowance(direction: 'up' | 'down', length: number): number {
		const armed = this.armed;
		if (!armed || (armed.plan.direction !== 'either' && armed.plan.direction !== direction)) return length;
		const counted = armed.plan.direction === 'either' ? armed.up + armed.down : armed[direction];
		return Math.min(length, Math.max(0, armed.plan.bytes - counted));
	}

	private reached(): boolean {
		const armed = this.armed;
		if (!armed) return false;
		const counted = armed.plan.direction === 'either' ? armed.up + armed.down : armed[armed.plan.direction];
		return counted >= armed.plan.bytes;
	}

	private count(direction: 'up' | 'down', bytes: number): void {
		if (direction === 'up') this.upBytes += bytes;
		else this.downBytes += bytes;
		if (this.armed) this.armed[direction] += bytes;
	}

	private cut(): void {
		const armed = this.armed;
		if (!armed) return;
		this.armed = undefined;
		if (armed.plan.then === 'refuse') this.down = true;
		const connectionsClosed = this.closeAll();
		armed.resolve({ up: armed.up, down: armed.down, connectionsClosed });
	}

	private closeAll(): number {
		const open = [...this.links];
		for (const link of open) this.closeLink(link);
		return open.length;
	}

	private closeLink(link: Link): void {
		if (!this.links.delete(link)) return;
		link.closed = true;
		for (const line of link.lines) line.stop();
		link.client.destroy();
		link.server.destroy();
	}
}
