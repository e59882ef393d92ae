import createClient, { type Middleware } from 'openapi-fetch';
import { goto } from '$app/navigation';
import type { paths } from './schema.d.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Error codes the client itself produces when no usable server error body exists. */
export const NETWORK_ERROR = 'network_error';
export const UNKNOWN_ERROR = 'unknown_error';
export const INVALID_RESPONSE = 'invalid_response';

/** A failed API call, carrying the server's `{ error: { code, message, fields } }` body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string> | undefined;
  /** Seconds from a `Retry-After` header, when the server sent one. */
  readonly retryAfter: number | undefined;

  constructor(status: number, code: string, message: string, fields?: Record<string, string>, retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.retryAfter = retryAfter;
  }
}

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Registers a callback for 401 responses (e.g. to forget the session); returns an unsubscribe. */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function handleUnauthorized(redirect: boolean): void {
  for (const listener of unauthorizedListeners) listener();
  if (redirect) void redirectToLogin();
}

const unauthorizedMiddleware: Middleware = {
  onResponse({ request, response, schemaPath }) {
    if (response.status !== 401) return undefined;
    // A failed login is answered on the login form, and `GET /me` is the session probe, where 401
    // simply means "signed out" (public pages probe too); every other 401 is an expired session.
    const probe = schemaPath === '/auth/login' || (request.method === 'GET' && schemaPath === '/me');
    handleUnauthorized(!probe);
    return undefined;
  },
};

/**
 * The typed Nordraum API client, generated from the server's OpenAPI document (schema.d.ts).
 * Paths are relative to `/api`; wrap calls in {@link call} to get the data or an {@link ApiError}.
 */
export const client = createClient<paths>({
  baseUrl: '/api',
  credentials: 'same-origin',
  headers: { accept: 'application/json' },
});
client.use(unauthorizedMiddleware);

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Awaits a `client.GET/POST/…` call and returns its data; any failure becomes an {@link ApiError}. */
export async function call<T>(request: Promise<Outcome<T>>): Promise<T> {
  let outcome: Outcome<T>;
  try {
    outcome = await request;
  } catch (cause) {
    // A success body that is not JSON (typically a misrouted HTML page) fails in JSON.parse.
    if (cause instanceof SyntaxError) throw new ApiError(200, INVALID_RESPONSE, 'Response body is not JSON');
    // fetch only rejects when no HTTP response arrived at all (offline, DNS, abort).
    throw new ApiError(0, NETWORK_ERROR, cause instanceof Error ? cause.message : String(cause));
  }
  const { response } = outcome;
  if (response.ok) return outcome.data as T;
  throw toApiError(response.status, outcome.error, response.headers.get('retry-after'));
}

/** Sends a JSON request to the Nordraum API and resolves with the parsed JSON body. */
export async function api<T>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
  // Kept for code that predates the typed client; new code should use `call(client.X(...))`.
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (cause) {
    throw new ApiError(0, NETWORK_ERROR, cause instanceof Error ? cause.message : String(cause));
  }
  const text = await response.text().catch(() => '');
  let payload: unknown;
  try {
    payload = text ? JSON.parse(text) : undefined;
  } catch {
    if (response.ok) throw new ApiError(response.status, INVALID_RESPONSE, 'Response body is not JSON');
  }
  if (response.ok) return payload as T;
  if (response.status === 401) handleUnauthorized(path !== '/api/auth/login');
  throw toApiError(response.status, payload, response.headers.get('retry-after'));
}

function toApiError(status: number, payload: unknown, retryAfterHeader: string | null): ApiError {
  const retryAfter = parseRetryAfter(retryAfterHeader);
  // Proxies and crashes produce HTML or empty bodies; those fall back to a generic error.
  const error = isRecord(payload) && isRecord(payload.error) ? payload.error : undefined;
  const code = typeof error?.code === 'string' ? error.code : UNKNOWN_ERROR;
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${status}`;
  const fields = isRecord(error?.fields) ? stringValues(error.fields) : undefined;
  return new ApiError(status, code, message, fields, retryAfter);
}

/** Parses a `Retry-After` header (delta-seconds or HTTP date) into whole seconds. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * Returns `raw` if it is a path on this site (starts with one "/" and stays on this origin),
 * otherwise `fallback`; used for the `next` parameter so it cannot become an open redirect.
 */
export function safeNextPath(raw: string | null | undefined, fallback = '/rooms'): string {
  // Browsers treat "\" like "/", so "/\evil.example" would be protocol-relative too.
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) {
    return fallback;
  }
  // Control characters are stripped by URL parsing and could hide a second leading slash.
  if (hasControlCharacter(raw)) return fallback;
  try {
    const url = new URL(raw, window.location.origin);
    if (url.origin !== window.location.origin) return fallback;
    if (url.pathname === '/login') return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

/** Builds the login URL that returns to `next` after a successful sign-in. */
export function loginHref(next: string): string {
  if (next === '/' || next.startsWith('/login')) return '/login';
  return `/login?${new URLSearchParams({ next }).toString()}`;
}

/** Pages anyone may open; a 401 there must never send the visitor to /login. */
const PUBLIC_PATHS = ['/login', '/invite/', '/reset/', '/impressum', '/barrierefreiheit', '/kontakt'];

/** Whether `pathname` is a page that works without signing in. */
export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATHS.some((path) => pathname === path || (path.endsWith('/') && pathname.startsWith(path)));
}

/** Sends the browser to /login, remembering the current page; no-op on public pages. */
export async function redirectToLogin(): Promise<void> {
  if (isPublicPath(window.location.pathname)) return;
  const here = window.location.pathname + window.location.search + window.location.hash;
  const target = loginHref(here);
  try {
    await goto(target, { replace: true });
  } catch {
    // goto rejects when the router is not ready; a full navigation still gets the user there.
    window.location.replace(target);
  }
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringValues(record: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'string') result[key] = value;
  }
  return result;
}
