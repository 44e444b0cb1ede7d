/**
 * A file shared to Sikho (the manifest's share_target) arrives as a POST the service worker
 * answers: it keeps the file in Cache Storage — on disk, never whole in script memory — and sends
 * the page to the import screen with the file's id. Both sides agree on these names.
 */
export const SHARE_TARGET_PATH = '/share-target';
/** The field of the share form that carries the file (the manifest's share_target.params.files). */
export const SHARE_FIELD = 'bundle';
/** Ends in the cache format the worker keeps (`-v1`), so its clean-up leaves it alone. */
export const SHARED_CACHE = 'sikho-shared-v1';
export const sharedFileUrl = (id: string) => `/shared/${id}`;
export const FILE_NAME_HEADER = 'x-file-name';
