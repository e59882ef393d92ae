import { goto } from '$app/navigation';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Error codes the client itself produces when no usable server error body exists. */
export const NETWORK_ERROR = 'network_error';
export const UNKNOWN_ERROR = 'unknown_error';
export const INVALID_RESPONSE = 'invalid_response';

const LOGIN_PATH = '/api/auth/login';

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

/** Sends a JSON request to the Nordraum API and resolves with the parsed JSON body. */
export async function api<T>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
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
    // fetch only rejects when no HTTP response arrived at all (offline, DNS, CORS, abort).
    throw new ApiError(0, NETWORK_ERROR, cause instanceof Error ? cause.message : String(cause));
  }

  if (response.ok) {
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    try {
      return (text ? JSON.parse(text) : undefined) as T;
    } catch {
      // Typically an HTML page from a misrouted request; treat it like any other server fault.
      throw new ApiError(response.status, INVALID_RESPONSE, 'Response body is not JSON');
    }
  }

  const error = await toApiError(response);
  if (response.status === 401 && path !== LOGIN_PATH) {
    for (const listener of unauthorizedListeners) listener();
    await redirectToLogin();
  }
  throw error;
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  let payload: unknown;
  try {
    payload = await response.json();
  } catch {
    // Proxies and crashes produce HTML or empty bodies; fall back to a generic error below.
  }
  const error = isRecord(payload) && isRecord(payload.error) ? payload.error : undefined;
  const code = typeof error?.code === 'string' ? error.code : UNKNOWN_ERROR;
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`;
  const fields = isRecord(error?.fields) ? stringValues(error.fields) : undefined;
  return new ApiError(response.status, code, message, fields, retryAfter);
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

async function redirectToLogin(): Promise<void> {
  if (window.location.pathname === '/login') return;
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
