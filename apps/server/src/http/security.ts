import { AppError } from '@nordraum/domain';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery guard for the API. Mutating requests must come from one of our
 * origins when a browser names one, and carry JSON: a form on a foreign site can post
 * urlencoded, multipart or text/plain without a preflight, but never application/json.
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
    if (hasBody && !/^application\/json\s*(;|$)/i.test(type ?? '')) {
      throw new AppError('unsupported_media_type', 'Send the request body as application/json.');
    }
    return next();
  };
}
