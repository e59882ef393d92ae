import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { type InProcessApi, inProcessApiKey } from '@nordraum/domain';
import { Hono } from 'hono';
import { openAPIRouteHandler } from 'hono-openapi';
import { limitRequestBodies } from './http/body-limit.ts';
import type { AppDependencies, AppEnv } from './http/context.ts';
import { notFound, onError } from './http/errors.ts';
import { requestLogging } from './http/logging.ts';
import { trustNoProxy } from './http/proxy-trust.ts';
import { requireMetricsAccess, requireSameOriginJson, responseHeaders, secureResponses } from './http/security.ts';
import { loadSession, requireOwnPassword } from './http/session.ts';
import { actionRoutes } from './routes/actions.ts';
import { adminRoutes } from './routes/admin.ts';
import { authRoutes } from './routes/auth.ts';
import { decisionRoutes } from './routes/decisions.ts';
import { documentRoutes } from './routes/documents.ts';
import { importRoutes } from './routes/imports.ts';
import { invitationRoutes } from './routes/invitations.ts';
import { meetingRoutes } from './routes/meetings.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { directoryRoutes } from './routes/organizations.ts';
import { protocolActionRoutes } from './routes/protocol-actions.ts';
import { reviewRoutes } from './routes/reviews.ts';
import { roomRoutes } from './routes/rooms.ts';
import { searchRoutes } from './routes/search.ts';
import { suggestionRoutes } from './routes/suggestions.ts';
import { templateRoutes } from './routes/templates.ts';
import { threadRoutes } from './routes/threads.ts';
import { versionRoutes } from './routes/versions.ts';
import { syncRoutes } from './sync.ts';

/**
 * Builds the HTTP application: `/api/*` (JSON), `/healthz`, `/readyz`, and every other path to the
 * web app. Nothing here reads the environment or opens connections; the caller passes both in.
 */
export function createApp(deps: AppDependencies) {
  const api = new Hono<AppEnv>();
  api.use(limitRequestBodies(deps.bodyLimits));
  api.use(requireSameOriginJson(deps.allowedOrigins));
  api.use(loadSession(deps.db, deps.publicOrigin));
  api.use(requireOwnPassword());
  api.route('/', authRoutes(deps));
  api.route('/', directoryRoutes(deps));
  api.route('/', roomRoutes(deps));
  api.route('/', documentRoutes(deps));
  api.route('/', templateRoutes(deps));
  api.route('/', protocolActionRoutes(deps));
  api.route('/', importRoutes(deps));
  api.route('/', adminRoutes(deps));
  api.route('/', invitationRoutes(deps));
  api.route('/', actionRoutes(deps));
  api.route('/', versionRoutes(deps));
  api.route('/', searchRoutes(deps));
  api.route('/', threadRoutes(deps));
  api.route('/', suggestionRoutes(deps));
  api.route('/', notificationRoutes(deps));
  api.route('/', meetingRoutes(deps));
  api.route('/', decisionRoutes(deps));
  api.route('/', reviewRoutes(deps));
  api.get(
    '/openapi.json',
    openAPIRouteHandler(api, {
      documentation: {
        info: {
          title: 'Nordraum API',
          version: '0.1.0',
          description:
            'The JSON API of Nordraum. Authenticate with the nordraum_session cookie from POST /api/auth/login.',
        },
        servers: [{ url: `${deps.publicOrigin}/api` }],
      },
    }),
  );
  api.notFound(notFound);

  const app = new Hono<AppEnv>();
  app.use(requestLogging(deps.logger));
  app.use(async (c, next) => {
    c.set('proxyTrust', deps.proxyTrust ?? trustNoProxy);
    return next();
  });
  app.use(secureResponses());
  app.onError(onError);
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) =>
    (await deps.isDatabaseReady()) ? c.json({ status: 'ok' }) : c.json({ status: 'database unavailable' }, 503),
  );
  app.route('/api', api);
  app.all('/api/*', notFound);
  app.use('/metrics', requireMetricsAccess(deps.metricsToken));
  if (deps.sync) app.route('/', syncRoutes(deps.db, deps.sync, deps.allowedOrigins));
  app.all('*', (c) => {
    const { webHandler } = deps;
    const bindings = c.env as
      | { incoming?: import('node:http').IncomingMessage; outgoing?: import('node:http').ServerResponse }
      | undefined;
    if (!webHandler || !bindings?.incoming || !bindings.outgoing) {
      return c.text('The web app is not built. Run `npm run build`.', 503);
    }
    // Pages rendered on the server read the API through this, with the reader's own cookie.
    const api: InProcessApi = async (request) =>
      new URL(request.url).pathname.startsWith('/api/')
        ? app.fetch(request, { incoming: bindings.incoming })
        : new Response('Not found', { status: 404 });
    Object.defineProperty(bindings.incoming, inProcessApiKey, { value: api });
    for (const [name, value] of Object.entries(responseHeaders(c))) bindings.outgoing.setHeader(name, value);
    webHandler(bindings.incoming, bindings.outgoing, () => {
      bindings.outgoing!.statusCode = 404;
      bindings.outgoing!.end('Not found');
    });
    return RESPONSE_ALREADY_SENT;
  });
  return app;
}

/**
 * Answers `request` with `app`. Hono answers HEAD by running GET and copying the response,
 * and @hono/node-server does not recognise the copy of the web app's "already sent" answer: it
 * wrote the headers itself, the web app wrote them again, and the process died
 * (ERR_HTTP_HEADERS_SENT) on any HEAD request for a page. So HEAD runs as GET here; Node's
 * response knows the request was HEAD and sends no body.
 */
export function serveRequest(app: ReturnType<typeof createApp>, request: Request, env: unknown) {
  return app.fetch(request.method === 'HEAD' ? new Request(request, { method: 'GET' }) : request, env);
}
