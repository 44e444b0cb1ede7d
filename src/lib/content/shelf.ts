/**
 * What screens call for courses already on the phone. Screens import it lazily so the first screen
 * draws before the database code arrives; it carries no validation or download code.
 */
import { contentDb } from './content-db';
import { courseOnPhone, deleteCourse, listCoursesOnPhone } from './installed-courses';

export const coursesOnPhone = () => listCoursesOnPhone(contentDb());
export const findCourseOnPhone = (id: string) => courseOnPhone(contentDb(), id);
export const removeCourse = (id: string) => deleteCourse(contentDb(), id);

export { courseLanguage, inLanguage } from './installed-courses';
