// The app is a client-rendered shell: data comes from the separate API server over HTTP, and the
// session cookie is only checked there, so server rendering would have nothing to show.
export const ssr = false;
export const prerender = false;
