// Sikho is a single-page app: every screen renders on the phone, so it works with no server.
export const ssr = false;
export const prerender = false;
