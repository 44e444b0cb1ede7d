import { describe, expect, it } from 'vitest';
import { PASSWORD_COST, Passwords } from './password.js';

const cheap = new Passwords({ log2N: 10, r: 8, p: 1 });

describe('Passwords', () => {
	it('stores a salted scrypt hash that names its parameters, and never the password', async () => {
		const stored = await cheap.hash('correct horse battery');
		expect(stored).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
		expect(stored).not.toContain('horse');
		expect(await cheap.hash('correct horse battery')).not.toBe(stored);
	});

	it('verifies the right password and refuses another', async () => {
		const stored = await cheap.hash('correct horse battery');
		expect(await cheap.verify('correct horse battery', stored)).toBe(true);
		expect(await cheap.verify('correct horse batterY', stored)).toBe(false);
	});

	it('verifies with the parameters stored in the hash, not the current ones', async () => {
		const stored = await cheap.hash('correct horse battery');
		expect(await new Passwords({ log2N: 11, r: 8, p: 2 }).verify('correct horse battery', stored)).toBe(true);
	});

	it('matches a password typed in another Unicode form', async () => {
		const stored = await cheap.hash('पासवर्ड１２３४'.normalize('NFD'));
		expect(await cheap.verify('पासवर्ड123४'.normalize('NFC'), stored)).toBe(true);
	});

	it('costs N = 2^15, r = 8, p = 1 in production', async () => {
		expect(PASSWORD_COST).toEqual({ log2N: 15, r: 8, p: 1 });
		const stored = await new Passwords().hash('correct horse battery');
		expect(stored.startsWith('$scrypt$ln=15,r=8,p=1$')).toBe(true);
		expect(await new Passwords().verify('correct horse battery', stored)).toBe(true);
	});

	it('refuses a stored hash that is not ours or asks for an absurd cost', async () => {
		const stored = await cheap.hash('correct horse battery');
		await expect(cheap.verify('x', 'plain-text-password')).rejects.toThrow(/not a scrypt PHC string/);
		await expect(cheap.verify('x', stored.replace('ln=10', 'ln=30'))).rejects.toThrow(/out of bounds/);
	});

	it('answers false for nobody, after the same work', async () => {
		expect(await cheap.verifyNobody('correct horse battery')).toBe(false);
	});
});
