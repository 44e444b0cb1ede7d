/** Types for complete-lock.mjs (a plain script, so `node` runs it without a build step). */
export interface LockEntry {
	version?: string;
	dev?: boolean;
	optional?: boolean;
	os?: string[];
	cpu?: string[];
	libc?: string[];
	optionalDependencies?: Record<string, string>;
}

export interface Lock {
	packages?: Record<string, LockEntry>;
}

export function missingPlatformEntries(lock: Lock): Record<string, LockEntry>;
export function completeLock(lock: Lock): { lock: Lock; added: string[] };
