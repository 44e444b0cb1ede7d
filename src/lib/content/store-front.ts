/** What the "Find courses" screen calls: the server's catalog and downloads. */
import { contentDb } from './content-db';
import { loadCatalog } from './catalog';

export const fetchCatalog = () => loadCatalog(contentDb());

export { courseDownloads } from './course-downloads.svelte';
