/**
 * Downloads as the screens see them: progress per course and language, pause and resume, and
 * resuming by itself when a lost connection comes back. The work is in download-course.ts.
 */
import { contentDb } from './content-db';
import { downloadCourse, DownloadError, type DownloadFailure, type DownloadProgress } from './download-course';
import { BundleError } from '$lib/course-format/verify';
import { askToKeepCourses } from './storage';

export type DownloadView =
	| { status: 'downloading'; progress?: DownloadProgress }
	| { status: 'paused'; progress?: DownloadProgress; waitingForNetwork: boolean }
	| { status: 'failed'; progress?: DownloadProgress; problem: DownloadFailure }
	| { status: 'done' };

export const downloadKey = (courseId: string, language: string) => `${courseId}:${language}`;

export class CourseDownloads {
	views = $state<Record<string, DownloadView>>({});
	#controllers = new Map<string, AbortController>();
	#askedToKeep = false;

	constructor() {
		if (typeof window !== 'undefined') {
			window.addEventListener('online', () => {
				for (const [key, view] of Object.entries(this.views)) {
					if (view.status === 'paused' && view.waitingForNetwork) {
						const [courseId, language] = key.split(':') as [string, string];
						void this.start(courseId, language);
					}
				}
			});
		}
	}

	view(courseId: string, language: string): DownloadView | undefined {
		return this.views[downloadKey(courseId, language)];
	}

	async start(courseId: string, language: string): Promise<void> {
		const key = downloadKey(courseId, language);
		if (this.#controllers.has(key)) return;
		if (!this.#askedToKeep) {
			this.#askedToKeep = true;
			// Asked alongside the download, not before it: the answer never changes what is fetched.
			void askToKeepCourses();
		}
		const controller = new AbortController();
		this.#controllers.set(key, controller);
		const previous = this.views[key];
		this.views[key] = { status: 'downloading', progress: previous && 'progress' in previous ? previous.progress : undefined };
		try {
			// The sanitiser (DOMPurify) is fetched only by phones that download a course, while the
			// manifest is on its way rather than before it.
			const sanitizer = import('./sanitize-lesson');
			// Handled here too: a course with no lesson text never awaits it.
			sanitizer.catch(() => undefined);
			await downloadCourse({
				db: contentDb(),
				courseId,
				language,
				signal: controller.signal,
				sanitize: { html: async (text) => (await sanitizer).sanitizeLessonHtml(text), svg: async (text) => (await sanitizer).sanitizeSvgImage(text) },
				onProgress: (progress) => {
					// Only the run under way may move the bar.
					if (this.#controllers.get(key) === controller) this.views[key] = { status: 'downloading', progress };
				}
			});
			this.views[key] = { status: 'done' };
		} catch (error) {
			const current = this.views[key];
			const progress = current && 'progress' in current ? current.progress : undefined;
			if (controller.signal.aborted) this.views[key] = { status: 'paused', progress, waitingForNetwork: false };
			else if (error instanceof DownloadError && error.code === 'offline') this.views[key] = { status: 'paused', progress, waitingForNetwork: true };
			else if (error instanceof DownloadError || error instanceof BundleError) this.views[key] = { status: 'failed', progress, problem: error.code };
			else throw error;
		} finally {
			this.#controllers.delete(key);
		}
	}

	pause(courseId: string, language: string): void {
		this.#controllers.get(downloadKey(courseId, language))?.abort();
	}
}

export const courseDownloads = new CourseDownloads();
