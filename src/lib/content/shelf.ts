/**
 * What screens call for courses on the phone. Screens import this lazily, so the first screen
 * does not wait for the database code before it draws.
 */
import { contentDb } from './content-db';
import { courseOnPhone, deleteCourse, listCoursesOnPhone } from './installed-courses';
import { loadCatalog } from './catalog';
import { openLesson } from './open-lesson';

export const coursesOnPhone = () => listCoursesOnPhone(contentDb());
export const findCourseOnPhone = (id: string) => courseOnPhone(contentDb(), id);
export const removeCourse = (id: string) => deleteCourse(contentDb(), id);
export const fetchCatalog = () => loadCatalog(contentDb());
export const openStoredLesson = (courseId: string, lessonId: string, language: string) => openLesson(contentDb(), courseId, lessonId, language);

export { courseLanguage, inLanguage } from './installed-courses';
export { courseDownloads, downloadKey } from './course-downloads.svelte';
export { storageStatus } from './storage';
export { withLocalMedia } from './lesson-media';
