import { currentLocale } from '$lib/i18n/locale.svelte';
import * as shelf from '$lib/content/shelf';
import type { PageLoad } from './$types';

// A static import: SvelteKit then fetches the content code together with this screen's code,
// not after it (this screen is never the first one, so the first screen does not pay for it).

export const load: PageLoad = async ({ params }) => {
	try {
		return { lesson: await shelf.openStoredLesson(params.courseId, params.lessonId, currentLocale()), shelf };
	} catch {
		return { lesson: undefined, shelf };
	}
};
