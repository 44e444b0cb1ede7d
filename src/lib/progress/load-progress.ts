/**
 * A learner's progress in a course for a screen, loaded after the screen is drawn: the progress
 * code (PouchDB) comes by dynamic import. Returns the cancel function an `$effect` cleans up with,
 * so a screen left before the answer never receives it.
 */
import type { Manifest } from '$lib/course-format/manifest';
import type { CourseProgress } from './study';

export function loadProgress(learnerId: string | undefined, manifest: Manifest | undefined, show: (progress: CourseProgress) => void): (() => void) | undefined {
	if (!learnerId || !manifest) return undefined;
	let left = false;
	void import('./study')
		.then((study) => study.progressInCourse(learnerId, manifest))
		.then((progress) => {
			if (!left) show(progress);
		});
	return () => {
		left = true;
	};
}
