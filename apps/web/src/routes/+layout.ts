// The app is a client-rendered shell: data comes from the API over HTTP, and the session cookie is
// only checked there. The exceptions are a document's first view (documents/[documentId]) and a
// review page (reviews/[reviewId]), which the server renders from the API in the same process.
export const ssr = false;
export const prerender = false;
