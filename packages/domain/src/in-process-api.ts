/**
 * How the web app, while it renders a page on the server, reaches the JSON API without a network
 * hop. The HTTP server puts a function under this name on the Node request it hands to the web
 * app's handler (adapter-node passes that request on as `platform.req`). The function answers a
 * `Request` for `/api/...` exactly as over HTTP: the same routes, session checks and errors.
 */
export const inProcessApiKey = 'nordraumApi';

/** Answers one API request in process; see {@link inProcessApiKey}. */
export type InProcessApi = (request: Request) => Promise<Response>;
