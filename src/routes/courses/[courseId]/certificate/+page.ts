import * as shelf from '$lib/content/shelf';
import type { PageLoad } from './$types';

// A static import: SvelteKit then fetches the content code together with this screen's code,
// not after it (this screen is never the first one, so the first screen does not pay for it).

export const load: PageLoad = async ({ params }) => {
	return { course: await shelf.findCourseOnPhone(params.courseId), shelf };
};
