import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CuttingProxy } from './cutting-proxy.js';

/**
 * The target: reads until the client has sent `expectUp` bytes, then answers `reply` bytes and
 * ends. It records what it received so tests can see exactly what crossed the proxy.
 */
interface Target {
	server: Server;
	port: number;
	received: number[];
	/** Connections the target has seen close. */
	closed: () => number;
}

let target: Target;
let proxy: CuttingProxy;
const REPLY = 10_000;
const REQUEST = 1_000;

const pattern = (length: number) => Buffer.from(Array.from({ length }, (_, i) => i % 251));

async function startTarget(): Promise<Target> {
	const received: number[] = [];
	let closed = 0;
	const server = createServer((socket) => {
		let got = 0;
		const index = received.push(0) - 1;
		socket.on('data', (chunk: Buffer) => {
			got += chunk.length;
			received[index] = got;
			if (got === REQUEST) socket.end(pattern(REPLY));
		});
		socket.on('error', () => {});
		socket.on('close', () => closed++);
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	return { server, port: (server.address() as AddressInfo).port, received, closed: () => closed };
}

/** One exchange through the proxy: sends `REQUEST` bytes, collects the answer until the connection ends. */
async function exchange(send = REQUEST): Promise<{ reply: Buffer; error?: string }> {
	const socket: Socket = createConnection({ host: '127.0.0.1', port: proxy.port });
	const chunks: Buffer[] = [];
	socket.on('data', (chunk: Buffer) => chunks.push(chunk));
	let error: string | undefined;
	socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
	socket.write(pattern(send));
	await once(socket, 'close');
	return { reply: Buffer.concat(chunks), error };
}

beforeEach(async () => {
	target = await startTarget();
	proxy = await CuttingProxy.start({ target: { host: '127.0.0.1', port: target.port } });
});

afterEach(async () => {
	await proxy.close();
	target.server.close();
});

describe('cutting proxy', () => {
	it('passes bytes through unchanged and counts them each way', async () => {
		const { reply } = await exchange();
		expect(reply.equals(pattern(REPLY))).toBe(true);
		const second = await exchange();
		expect(second.reply.length).toBe(REPLY);
		expect(proxy.bytes).toEqual({ up: 2 * REQUEST, down: 2 * REPLY });
		expect(proxy.connections).toBe(2);
		proxy.resetCounts();
		expect(proxy.bytes).toEqual({ up: 0, down: 0 });
	});

	it('cuts after exactly N bytes from the server, and the next connection passes', async () => {
		const cut = proxy.cutAfter({ bytes: 4321, direction: 'down' });
		const { reply } = await exchange();
		expect(reply.length).toBe(4321);
		expect(reply.equals(pattern(REPLY).subarray(0, 4321))).toBe(true);
		expect(await cut).toEqual({ up: REQUEST, down: 4321, connectionsClosed: 1 });

		const again = await exchange();
		expect(again.reply.length).toBe(REPLY);
	});

	it('cuts after exactly N bytes from the client: the server gets only those', async () => {
		const cut = proxy.cutAfter({ bytes: 333, direction: 'up' });
		const { reply } = await exchange();
		expect(reply.length).toBe(0);
		expect((await cut).up).toBe(333);
		// Once its connection is closed, the server has seen exactly the bytes the proxy let through.
		await expect.poll(() => target.closed()).toBe(1);
		expect(target.received).toEqual([333]);
	});

	it('counts both directions together when the direction is "either"', async () => {
		const cut = proxy.cutAfter({ bytes: REQUEST + 500, direction: 'either' });
		const { reply } = await exchange();
		expect(reply.length).toBe(500);
		expect(await cut).toMatchObject({ up: REQUEST, down: 500 });
	});

	it('counts from when it is armed, not from the start', async () => {
		await exchange();
		const cut = proxy.cutAfter({ bytes: 100, direction: 'down' });
		const { reply } = await exchange();
		expect(reply.length).toBe(100);
		expect((await cut).down).toBe(100);
		expect(proxy.bytes.down).toBe(REPLY + 100);
	});

	it('cuts every open connection, not only the one that crossed the mark', async () => {
		const idle = createConnection({ host: '127.0.0.1', port: proxy.port });
		idle.on('error', () => {});
		await once(idle, 'connect');
		await expect.poll(() => proxy.openConnections).toBe(1);
		const cut = proxy.cutAfter({ bytes: 10, direction: 'down' });
		await exchange();
		expect((await cut).connectionsClosed).toBe(2);
		if (!idle.closed) await once(idle, 'close');
	});

	it('refuses new connections after a cut when told to, until it comes up again', async () => {
		const cut = proxy.cutAfter({ bytes: 0, direction: 'down', then: 'refuse' });
		expect((await exchange()).reply.length).toBe(0);
		await cut;
		expect(proxy.isDown).toBe(true);
		expect((await exchange()).reply.length).toBe(0);
		expect(target.received.length).toBe(1); // the refused connection never reached the server

		proxy.comeUp();
		expect((await exchange()).reply.length).toBe(REPLY);
	});

	it('goDown closes what is open and refuses the rest', async () => {
		const idle = createConnection({ host: '127.0.0.1', port: proxy.port });
		idle.on('error', () => {});
		await once(idle, 'connect');
		await expect.poll(() => proxy.openConnections).toBe(1);
		expect(proxy.goDown()).toBe(1);
		if (!idle.closed) await once(idle, 'close');
		expect((await exchange()).reply.length).toBe(0);
		proxy.comeUp();
		expect((await exchange()).reply.length).toBe(REPLY);
	});

	it('holds each chunk half a round trip each way, keeping the order', async () => {
		proxy.rttMs = 200;
		const started = performance.now();
		const { reply } = await exchange();
		const elapsed = performance.now() - started;
		expect(reply.equals(pattern(REPLY))).toBe(true);
		// Request out (RTT/2) and answer back (RTT/2): at least one round trip. No upper bound: the machine is noisy.
		expect(elapsed).toBeGreaterThanOrEqual(200);
	});

	it('refuses a cut of a negative or fractional number of bytes', () => {
		expect(() => proxy.cutAfter({ bytes: -1 })).toThrow(RangeError);
		expect(() => proxy.cutAfter({ bytes: 1.5 })).toThrow(RangeError);
	});
});
