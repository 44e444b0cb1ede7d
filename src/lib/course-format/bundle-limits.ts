/**
 * How big a bundle file may be before it is read. A zip states its files' sizes in its central
 * directory, so a zip bomb is refused from those figures before a byte is inflated, and each file
 * is cut off the moment it inflates past what was stated (and what the signed manifest says).
 */
export interface BundleLimits {
	/** Entries in the zip: a course has at most 5,000 files, a district bundle many courses. */
	maxEntries: number;
	/** manifest.json or district.json: parsed whole, so kept small. */
	maxIndexBytes: number;
	/** Inflated size over stored size, for entries larger than `ratioFloorBytes`. */
	maxRatio: number;
	/** Small entries may shrink any amount (a short lesson of repeated markup): no harm in them. */
	ratioFloorBytes: number;
	/** Everything the bundle would inflate to. */
	maxTotalBytes: number;
	/**
	 * Files up to this size are hashed whole with WebCrypto (native, ~10× faster than hashing in
	 * script: 37 against 400 MB/s in Chromium here), held in memory just while they are read;
	 * larger ones are hashed chunk by chunk, so memory stays bounded whatever a bundle holds.
	 */
	wholeFileHashBytes: number;
}

export const BUNDLE_LIMITS: BundleLimits = {
	maxEntries: 20_000,
	maxIndexBytes: 4 * 1024 * 1024,
	// Lesson text deflates 3–10×, media not at all; 100× is only reached by crafted data.
	maxRatio: 100,
	ratioFloorBytes: 1024 * 1024,
	maxTotalBytes: 4 * 1024 * 1024 * 1024,
	wholeFileHashBytes: 16 * 1024 * 1024
};
