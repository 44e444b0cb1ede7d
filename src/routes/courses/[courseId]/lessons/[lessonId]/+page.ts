import { currentLocale } from '$lib/i18n/locale.svelte';
import * as shelf from '$lib/content/lesson-shelf';
import type { PageLoad } from './$types';

// A static import: SvelteKit then fetches the content code together with this screen's code, not
// after it. It is small (plain IndexedDB, no Dexie): this screen is often the first one, opened cold.

export const load: PageLoad = async ({ params }) => {
	try {
		return { lesson: await shelf.openStoredLesson(params.courseId, params.lessonId, currentLocale()), shelf };
	} catch {
		return { lesson: undefined, shelf };
	}
};
