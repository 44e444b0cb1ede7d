/** How much room courses take, and asking the phone not to clear them when space runs low. */
export interface StorageStatus {
	usedBytes?: number;
	freeBytes?: number;
	persisted: boolean;
}

export async function storageStatus(): Promise<StorageStatus> {
	const storage = globalThis.navigator?.storage;
	if (!storage) return { persisted: false };
	const [estimate, persisted] = await Promise.all([storage.estimate().catch(() => undefined), storage.persisted?.().catch(() => false) ?? false]);
	const used = estimate?.usage;
	const free = estimate?.quota !== undefined && used !== undefined ? Math.max(estimate.quota - used, 0) : undefined;
	return { usedBytes: used, freeBytes: free, persisted };
}

/** Asks once, at the first download: without it the browser may delete courses under pressure. */
export async function askToKeepCourses(): Promise<boolean> {
	const storage = globalThis.navigator?.storage;
	if (!storage?.persist) return false;
	if (await storage.persisted()) return true;
	return storage.persist().catch(() => false);
}
