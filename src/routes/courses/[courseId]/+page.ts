import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params }) => {
	const shelf = await import('$lib/content/shelf');
	return { course: await shelf.findCourseOnPhone(params.courseId), shelf };
};
