import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { pruneExpiredSessions, pruneRateLimits } from '@nordraum/auth';
import {
  countUsers,
  createDatabaseClient,
  type Database,
  type EmbeddedPostgres,
  runMigrations,
  startEmbeddedPostgres,
} from '@nordraum/db';
import type { DocumentStore } from '@nordraum/sync';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { ActionIndexer } from './action-index.ts';
import { createApp, serveRequest } from './app.ts';
import { announceVersionChanges, createAutoVersioner } from './auto-versions.ts';
import { bootstrap } from './bootstrap.ts';
import { liveAccessCheck } from './comments/access.ts';
import { createNotificationJobs } from './comments/mail-job.ts';
import { type Config, resolveOrigins } from './config.ts';
import { watchDatabase } from './database-watchdog.ts';
import { seedDemo } from './demo.ts';
import { createRenderPool, defaultRenderPoolOptions } from './export/render-pool.ts';
import type { NodeHandler } from './http/context.ts';
import { lazyHandler } from './http/lazy-handler.ts';
import { createProxyTrust } from './http/proxy-trust.ts';
import { removeLeftUploads } from './http/request-body.ts';
import { httpServerOptions } from './http/server-options.ts';
import { serveUpgrades } from './http/websocket-upgrade.ts';
import { createLiveHub } from './live/hub.ts';
import { createSmtpMailer } from './mail.ts';
import { memoryReleaser } from './memory.ts';
import { appPaths } from './paths.ts';
import { startRealtime } from './realtime.ts';
import { settleDueReviews } from './reviews/outcome.ts';

const paths = appPaths();

/** A running Nordraum. */
export interface RunningServer {
  url: string;
  publicOrigin: string;
  /** Stops accepting, flushes and closes sockets (1012), closes the pool and, if ours, PostgreSQL. */
  stop(): Promise<void>;
}

/** The web app's handler, loaded on the first page request (see lazyHandler). */
function webHandlerOf(logger: Logger): NodeHandler | undefined {
  if (!existsSync(paths.webHandler)) {
    logger.warn('apps/web/build is missing: pages answer 503 until `npm run build` has run');
    return undefined;
  }
  return lazyHandler(
    async () => ((await import(paths.webHandler)) as { handler: NodeHandler }).handler,
    (err) => logger.error({ err }, 'loading the web app failed'),
  );
}

/** Starts the database (embedded unless DATABASE_URL), migrates, bootstraps and listens. */
export async function startServer(
  config: Config,
  options: {
    logger: Logger;
    announce: (text: string) => void;
    /** The database is gone for good (embedded: cannot be restarted; external: unreachable too long). */
    onDatabaseLost?: (error: Error) => void;
  },
): Promise<RunningServer> {
  const { logger } = options;
  const embedded: EmbeddedPostgres | undefined = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: config.dataDir,
        log: (message) => logger.info(message),
        onGiveUp: options.onDatabaseLost,
      });
  const url = config.databaseUrl ?? embedded!.url;
  try {
    await runMigrations(url, paths.migrations);
    const client = createDatabaseClient({
      url,
      max: 20,
      // A meeting's start opens the session check, the archive check and the document's two
      // reads at once: connections opened then would make everyone joining wait for them.
      keep: 4,
      onError: (err) => logger.warn({ err }, 'idle database connection failed'),
    });
    const emptyDatabase = (await countUsers(client.db)) === 0;
    await bootstrap(client.db, {
      adminEmail: config.admin.email,
      adminPassword: config.admin.password,
      adminOrganizationCode: config.admin.organizationCode,
      announce: options.announce,
    });
    await client.warm();
    const leftUploads = await removeLeftUploads().catch((err: Error) => {
      logger.warn({ err }, 'removing uploads left by an earlier process failed');
      return 0;
    });
    if (leftUploads > 0) logger.info({ directories: leftUploads }, 'removed uploads left by an earlier process');
    const memory = memoryReleaser(() => sync.loadedDocuments().length === 0);
    const realtime = await startRealtime({
      db: client.db,
      pool: client.pool,
      url,
      log: logger,
      instanceId: randomBytes(8).toString('hex'),
      // The embedded PostgreSQL is this process's alone (a second Nordraum on the same DATA_DIR
      // refuses to start), so no other instance hears announcements of edits and presence: leave
      // them out.
      announce: embedded === undefined,
      settings: config.sync,
      searchIndex: config.searchIndex,
      backgroundPriority: { scheduling: config.exportScheduling, niceness: config.exportNiceness },
      onIdle: () => memory.idle(),
    });
    const { sync, store, indexer, search } = realtime;
    const live = await createLiveHub({
      url,
      pool: client.pool,
      check: liveAccessCheck(client.db),
      instanceId: sync.instanceId,
      log: logger.child({ component: 'live' }),
      limits: sync.settings,
    });
    const historyLog = logger.child({ component: 'history' });
    const versioner = createAutoVersioner({
      db: client.db,
      sync,
      log: historyLog,
      onChanged: announceVersionChanges(live, historyLog),
    });
    versioner.start();
    if (config.demo)
      await seedDemoOnce(emptyDatabase, { db: client.db, store, indexer, logger, announce: options.announce });
    void search.catchUp();
    const webHandler = webHandlerOf(logger);
    let app: ReturnType<typeof createApp> | undefined;
    const wss = new WebSocketServer({ noServer: true, maxPayload: sync.settings.maxMessageBytes });
    // Listen first: with PORT=0 the origin, and so the Origin check, depends on the port we get.
    const server = await listen((request, env) => serveRequest(app!, request, env), config, wss);
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const origins = resolveOrigins(config, port);
    const site = { imprint: await imprintText(config), contactEmail: config.site.contactEmail ?? null };
    const from = config.smtp?.from ?? `Nordraum <noreply@${new URL(origins.publicOrigin).hostname}>`;
    const mailer = config.smtp ? createSmtpMailer(config.smtp.url, from) : undefined;
    const exportRenderer = createRenderPool({
      size: config.exportWorkers,
      priority: { scheduling: config.exportScheduling, niceness: config.exportNiceness },
      idleMs: config.exportProcess.idleMs ?? defaultRenderPoolOptions.idleMs,
      heapMiB: config.exportProcess.heapMiB ?? defaultRenderPoolOptions.heapMiB,
      log: logger.child({ component: 'export' }),
    });
    app = createApp({
      db: client.db,
      exportRenderer,
      isDatabaseReady: client.ping,
      logger,
      ...origins,
      webHandler,
      sync,
      site,
      mailer,
      indexer,
      search,
      proxyTrust: createProxyTrust(config.trustProxy),
      metricsToken: config.metricsToken,
      commentLimits: config.commentLimits,
      live,
    });
    const notificationJobs = createNotificationJobs({
      db: client.db,
      mailer,
      publicOrigin: origins.publicOrigin,
      log: logger.child({ component: 'notifications' }),
    });
    // A new notification is mailed at once (if its person wants that), by whichever instance hears it first.
    live.onEvent((event) => {
      if (event.kind === 'notification') void notificationJobs.run();
    });
    notificationJobs.start();
    const housekeeping = setInterval(
      () => {
        Promise.all([pruneExpiredSessions(client.db), pruneRateLimits(client.db), settleDueReviews(client.db)]).catch(
          (err) => logger.warn({ err }, 'housekeeping failed'),
        );
      },
      60 * 60 * 1000,
    );
    housekeeping.unref();
    // The embedded PostgreSQL has its supervisor; an external one is waited for, up to a point.
    const stopWatchdog = config.databaseUrl
      ? watchDatabase({
          ping: client.ping,
          lostAfterMs: config.databaseLostExitMs,
          log: logger,
          onLost: () => options.onDatabaseLost?.(new Error('the database did not answer for too long')),
        })
      : () => {};
    return {
      url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
      publicOrigin: origins.publicOrigin,
      async stop() {
        clearInterval(housekeeping);
        stopWatchdog();
        await notificationJobs.stop();
        await versioner.stop();
        const closed = new Promise<void>((done) => server.close(() => done()));
        memory.stop();
        await live.close();
        await realtime.stop();
        await exportRenderer.close();
        server.closeAllConnections();
        await closed;
        await client.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

async function seedDemoOnce(
  emptyDatabase: boolean,
  deps: {
    db: Database;
    store: DocumentStore;
    indexer: ActionIndexer;
    logger: Logger;
    announce: (text: string) => void;
  },
) {
  if (!emptyDatabase) {
    deps.logger.warn('NORDRAUM_DEMO is set, but the database has data already: no demo data was added');
    return;
  }
  const logins = await seedDemo(deps.db, deps.store);
  await deps.store.flush();
  await deps.indexer.rebuild();
  const width = Math.max(...logins.map((login) => login.email.length));
  deps.announce(
    [
      '',
      '  Nordraum-Demo: Datenräume, Roadmap, Maßnahmenliste und Protokoll angelegt. Anmeldungen:',
      ...logins.map((login) => `    ${login.email.padEnd(width)}  ${login.password}  (${login.name})`),
      '',
    ].join('\n'),
  );
}

async function imprintText(config: Config): Promise<string | null> {
  if (config.site.imprintFile) {
    try {
      return await readFile(config.site.imprintFile, 'utf8');
    } catch (error) {
      throw new Error(`NORDRAUM_IMPRINT_FILE: cannot read ${config.site.imprintFile} (${(error as Error).message})`);
    }
  }
  return config.site.imprint?.replaceAll('\\n', '\n') ?? null;
}

function listen(
  fetch: (request: Request, env: unknown) => Response | Promise<Response>,
  config: Config,
  wss: WebSocketServer,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: config.port, hostname: config.host, serverOptions: httpServerOptions() }, () =>
      resolve(server as Server),
    );
    serveUpgrades(server as Server, wss, fetch);
    server.once('error', reject);
  });
}
