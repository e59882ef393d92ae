import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './context.ts';

/** 1 MiB: far more than any JSON body of the API needs (a room description is 2,000 characters). */
export const defaultBodyBytes = 1024 * 1024;

/** Per-route body limits: the default, and larger ones only where an upload needs them. */
export interface BodyLimits {
  /** Largest body in bytes; default {@link defaultBodyBytes}. */
  defaultBytes: number;
  /** Routes allowed more (or less), matched on method and the full path (`/api/...`). */
  routes?: readonly { method: string; path: RegExp; maxBytes: number }[];
}

/** The limits of today's API: imports take a 20 MB file (and the multipart envelope around it). */
export const defaultBodyLimits: BodyLimits = {
  defaultBytes: defaultBodyBytes,
  routes: [
    { method: 'POST', path: /^\/api\/rooms\/[^/]+\/imports(\/preview)?$/, maxBytes: 20 * 1024 * 1024 + 64 * 1024 },
  ],
};

/**
 * Refuses a request body over its route's limit with 413 before it is read: a declared
 * Content-Length is refused at once, a chunked body as soon as it grows past the limit, so at
 * most the limit is ever held in memory. The answer closes the connection (`Connection: close`),
 * so Node stops reading the rest of an upload instead of draining it.
 */
export function limitRequestBodies(limits: BodyLimits = defaultBodyLimits): MiddlewareHandler<AppEnv> {
  const tooLarge = (c: Context<AppEnv>, maxSize: number) =>
    c.json(
      { error: { code: 'payload_too_large', message: `The request body is larger than ${maxSize} bytes.` } },
      413,
      { Connection: 'close' },
    );
  const limiters = new Map<number, MiddlewareHandler<AppEnv>>();
  const limiterFor = (maxSize: number) => {
    let limiter = limiters.get(maxSize);
    if (!limiter) {
      limiter = bodyLimit({ maxSize, onError: (c) => tooLarge(c, maxSize) });
      limiters.set(maxSize, limiter);
    }
    return limiter;
  };
  return (c, next) => {
    const route = limits.routes?.find((entry) => entry.method === c.req.method && entry.path.test(c.req.path));
    const maxSize = route?.maxBytes ?? limits.defaultBytes;
    // A declared length is checked here, from the headers: Hono's limiter asks for the request's
    // body stream even then, which makes the Node adapter build a web stream over the socket and
    // read the body through it (a 5 MB upload: ~90 chunks through web streams and one more copy
    // on the thread that serves live editing). Only a body without a length goes through it.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number.parseInt(length, 10) > maxSize ? Promise.resolve(tooLarge(c, maxSize)) : next();
    }
    return limiterFor(maxSize)(c, next);
  };
}
