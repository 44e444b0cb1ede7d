import type { HandleClientError } from '@sveltejs/kit';

/**
 * A screen address that does not exist is the learner's typo or an old bookmark, not a fault:
 * it gets the "page not found" screen and no error in the console. Real faults are still logged.
 */
export const handleError: HandleClientError = ({ error, status, message }) => {
	if (status !== 404) console.error(error);
	return { message };
};
