import { describe, expect, it } from 'vitest';
import { isCompressibleType, PACK_MAX_FILES, planPacks } from './content-pack';
import type { FileEntry } from './manifest';

const file = (path: string, size: number): FileEntry => ({ path, size, sha256: path.padEnd(64, '0') });
const paths = (packs: FileEntry[][]) => packs.map((pack) => pack.map((f) => f.path));

describe('planPacks', () => {
	it('keeps text apart from media, largest first within a pack and across packs', () => {
		const files = [file('a.html', 10), file('b.ogg', 300), file('c.json', 30), file('d.png', 20), file('e.svg', 5)];
		expect(paths(planPacks(files, 1000))).toEqual([
			['b.ogg', 'd.png'],
			['c.json', 'a.html', 'e.svg']
		]);
	});

	it('fills a pack up to the byte limit, and sends a file larger than the limit alone', () => {
		const files = [file('big.ogg', 500), file('a.ogg', 60), file('b.ogg', 50), file('c.ogg', 40)];
		expect(paths(planPacks(files, 100))).toEqual([['big.ogg'], ['b.ogg', 'c.ogg'], ['a.ogg']]);
	});

	it('never names more files in one pack than the server takes', () => {
		const files = Array.from({ length: PACK_MAX_FILES + 1 }, (_, i) => file(`l${i}.html`, 1));
		expect(planPacks(files, Infinity).map((pack) => pack.length)).toEqual([PACK_MAX_FILES, 1]);
	});

	it('has nothing to plan for nothing missing', () => {
		expect(planPacks([], 100)).toEqual([]);
	});
});

describe('isCompressibleType', () => {
	it('compresses text formats, not images or audio', () => {
		for (const type of ['text/html; charset=utf-8', 'application/json; charset=utf-8', 'image/svg+xml']) expect(isCompressibleType(type), type).toBe(true);
		for (const type of ['image/png', 'image/jpeg', 'audio/ogg', 'audio/mpeg', 'application/octet-stream']) expect(isCompressibleType(type), type).toBe(false);
	});
});
