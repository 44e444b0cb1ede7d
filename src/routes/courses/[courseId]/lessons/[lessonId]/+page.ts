import { currentLocale } from '$lib/i18n/locale.svelte';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params }) => {
	const shelf = await import('$lib/content/shelf');
	try {
		return { lesson: await shelf.openStoredLesson(params.courseId, params.lessonId, currentLocale()), shelf };
	} catch {
		return { lesson: undefined, shelf };
	}
};
