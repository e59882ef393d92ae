import { createHash, timingSafeEqual } from 'node:crypto';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { AppError } from '@nordraum/domain';
import type { Context, MiddlewareHandler } from 'hono';
import { clientAddress, forwardedProtocol } from './access.ts';
import type { AppEnv } from './context.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Uploads: the only routes that take multipart bodies. */
const multipartRoutes = [/^\/api\/rooms\/[^/]+\/imports(\/preview)?$/];

/**
 * Cross-site request forgery guard for the API. Mutating requests must come from one of our
 * origins when a browser names one, and carry JSON: a form on a foreign site can post
 * urlencoded, multipart or text/plain without a preflight, but never application/json. The
 * upload routes take multipart only with an `Origin` of ours: browsers name the origin on every
 * POST, so a foreign form is refused; programs send it as they do on the websocket upgrade.
 */
export function requireSameOriginJson(allowedOrigins: string[]): MiddlewareHandler<AppEnv> {
  const allowed = new Set(allowedOrigins);
  return async (c, next) => {
    if (safeMethods.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    if (origin !== undefined && !allowed.has(origin)) {
      throw new AppError('forbidden', 'Requests from other sites are not accepted.');
    }
    const type = c.req.header('content-type');
    const hasBody = type !== undefined || Number(c.req.header('content-length') ?? 0) > 0;
    const upload =
      origin !== undefined &&
      /^multipart\/form-data\s*;/i.test(type ?? '') &&
      multipartRoutes.some((route) => route.test(c.req.path));
    if (hasBody && !upload && !/^application\/json\s*(;|$)/i.test(type ?? '')) {
      throw new AppError('unsupported_media_type', 'Send the request body as application/json.');
    }
    return next();
  };
}

/**
 * Headers every answer carries: no MIME sniffing, and no full URL (with room and document ids)
 * sent as Referer to other sites. API answers hold personal data (names, e-mail addresses, roles),
 * so no cache, shared or private, may keep them.
 */
export const securityHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
} as const;

/**
 * {@link securityHeaders}, plus `Strict-Transport-Security` when the client reached Nordraum over
 * https as a trusted proxy reports it (`X-Forwarded-Proto` from an address in `TRUST_PROXY`): the
 * browser then keeps to https for a year. Over plain http, or from anyone else, the header would
 * be meaningless or forged, so it is left out.
 */
export function responseHeaders(c: Context<AppEnv>): Record<string, string> {
  if (forwardedProtocol(c) !== 'https') return securityHeaders;
  return { ...securityHeaders, 'Strict-Transport-Security': 'max-age=31536000' };
}

/**
 * Sets {@link responseHeaders} on every Hono answer, and `Cache-Control: no-store` under /api/
 * unless the route chose an answer that is as strict (`private, no-store` for document states).
 */
export function secureResponses(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.res === RESPONSE_ALREADY_SENT) return;
    for (const [name, value] of Object.entries(responseHeaders(c))) c.res.headers.set(name, value);
    const chosen = c.res.headers.get('Cache-Control') ?? '';
    if (c.req.path.startsWith('/api/') && !chosen.includes('no-store')) c.res.headers.set('Cache-Control', 'no-store');
  };
}

/**
 * Guards `/metrics`: open to a caller on this machine (the resolved client address is loopback, so
 * a request through a local reverse proxy counts as the client it forwards for), or to anyone with
 * `Authorization: Bearer <NORDRAUM_METRICS_TOKEN>`. The token is compared in constant time.
 */
export function requireMetricsAccess(token: string | undefined): MiddlewareHandler<AppEnv> {
  const expected = token ? createHash('sha256').update(token).digest() : undefined;
  return async (c, next) => {
    const offered = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
    if (expected && offered && timingSafeEqual(createHash('sha256').update(offered).digest(), expected)) return next();
    if (isLoopback(clientAddress(c)) && c.req.header('x-forwarded-for') === undefined) return next();
    c.header('WWW-Authenticate', 'Bearer realm="metrics"');
    throw new AppError('unauthenticated', 'Metrics need a bearer token.');
  };
}

function isLoopback(address: string | null): boolean {
  return address !== null && (address === '::1' || /^127\./.test(address));
}
