/**
 * What the lesson screen calls. It reads through the plain IndexedDB reader, not Dexie, so a
 * lesson opened cold (from the home screen, a bookmark) waits for no database library.
 */
import { contentReader } from './content-reader';
import { openLesson } from './open-lesson';

export const openStoredLesson = (courseId: string, lessonId: string, language: string) => openLesson(contentReader(), courseId, lessonId, language);

export { inLanguage } from './installed-courses';
export { withLocalMedia } from './lesson-media';
