/**
 * Learners' passwords, kept as scrypt hashes (Node's `crypto.scrypt`, run on libuv's thread pool,
 * so a hash never blocks the event loop). A hash is stored as a PHC string that names its own
 * parameters, `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (unpadded base64), so the cost can be raised
 * later and older hashes still verify.
 *
 * Passwords are NFKC-normalised before hashing: the same password typed on two phones' keyboards
 * (composed or decomposed Devanagari, full-width digits) must match.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptCost {
	/** log2 of scrypt's N (CPU and memory cost). */
	log2N: number;
	/** Block size. */
	r: number;
	/** Parallelism. */
	p: number;
}

/** ~50–100 ms and 32 MiB per hash on a small server: slow for a guesser, fine for one login. */
export const PASSWORD_COST: ScryptCost = { log2N: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,})\$([A-Za-z0-9+/]{16,})$/;

// A stored hash asking for more than this is corrupt or hostile; it would exhaust the server.
const MAX_COST: ScryptCost = { log2N: 20, r: 32, p: 16 };

const base64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
	const N = 2 ** cost.log2N;
	// scrypt needs about 128·N·r bytes; Node's default cap (32 MiB) is exactly N=2^15, r=8, so too tight.
	const maxmem = 256 * N * cost.r;
	return new Promise((resolve, reject) => {
		scrypt(password.normalize('NFKC'), salt, KEY_BYTES, { N, r: cost.r, p: cost.p, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
	});
}

function parse(stored: string): { cost: ScryptCost; salt: Buffer; hash: Buffer } {
	const match = PHC.exec(stored);
	if (!match) throw new Error('A stored password hash is not a scrypt PHC string');
	const [, log2N, r, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
	const cost = { log2N: Number(log2N), r: Number(r), p: Number(p) };
	if (cost.log2N < 1 || cost.log2N > MAX_COST.log2N || cost.r < 1 || cost.r > MAX_COST.r || cost.p < 1 || cost.p > MAX_COST.p) {
		throw new Error('A stored password hash asks for an scrypt cost out of bounds');
	}
	return { cost, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

export class Passwords {
	/** A fixed salt for checks against nobody; its result is thrown away. */
	private readonly nobodySalt = randomBytes(SALT_BYTES);

	constructor(private readonly cost: ScryptCost = PASSWORD_COST) {}

	async hash(password: string): Promise<string> {
		const salt = randomBytes(SALT_BYTES);
		const hash = await derive(password, salt, this.cost);
		return `$scrypt$ln=${this.cost.log2N},r=${this.cost.r},p=${this.cost.p}$${base64(salt)}$${base64(hash)}`;
	}

	/** Whether `password` matches `stored`, compared in constant time. Throws if `stored` is not one of our hashes. */
	async verify(password: string, stored: string): Promise<boolean> {
		const { cost, salt, hash } = parse(stored);
		const derived = await derive(password, salt, cost);
		return derived.length === hash.length && timingSafeEqual(derived, hash);
	}

	/**
	 * Spends what `verify` spends, for a username nobody has: answering an unknown user faster
	 * than a wrong password would tell a guesser which usernames exist.
	 */
	async verifyNobody(password: string): Promise<false> {
		await derive(password, this.nobodySalt, this.cost);
		return false;
	}
}
