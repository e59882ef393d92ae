import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from './context.ts';

/**
 * One structured line per request with its id; the id is echoed in `X-Request-Id` so an operator
 * can find the line a user reports. Only method, path, status and timing: never headers or bodies,
 * which carry cookies and passwords.
 */
export function requestLogging(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[\w-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
    const log = logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    c.set('session', null);
    const started = performance.now();
    await next();
    // Pages are written by the web app straight to the socket; touching the response here would
    // make Hono send a second one.
    if (c.res === RESPONSE_ALREADY_SENT) return;
    // Set on the response itself: `c.header()` after the handler remakes the response around its
    // body as a stream, which the Node adapter then reads and writes in several turns (an export's
    // file, about 1 ms of the main thread) instead of writing the bytes at once. A response with
    // immutable headers (one fetched elsewhere) is remade as before.
    try {
      c.res.headers.set('X-Request-Id', requestId);
    } catch {
      c.header('X-Request-Id', requestId);
    }
    c.var.log.info(
      {
        // As the client sent it: HEAD is answered as GET (see serveRequest).
        method: (c.env as { incoming?: { method?: string } } | undefined)?.incoming?.method ?? c.req.method,
        // A calendar address carries its secret in the path (calendar programs send no cookie).
        path: c.req.path.replace(/^\/api\/calendar\/[^/]+/, '/api/calendar/[secret]'),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  };
}
