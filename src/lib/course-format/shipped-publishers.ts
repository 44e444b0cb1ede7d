/**
 * Publisher keys that come with the app, so a phone that has never reached a server can still
 * install a course from a file. Only the sample publisher's: its private half is held by the
 * Sikho maintainers, outside this repository (docs/course-bundle.md says how the sample bundle is
 * re-signed). A country's own publishers reach phones through their server's catalog, or a
 * coordinator adds their key by hand.
 */
export const SHIPPED_PUBLISHERS = {
	'sikho-sample': 'Y+6vBeZZpMbr1Xgii4iXc3zM0MLjqSNzFgnPPceV9tc='
} as const satisfies Record<string, string>;
