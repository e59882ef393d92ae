import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { hashPassword } from '@nordraum/auth';
import { createUser, findOrganization } from '@nordraum/db';
import {
  type DocumentStore,
  defaultSettings,
  type SyncServer,
  type SyncServerOptions,
  type SyncSettings,
} from '@nordraum/sync';
import pino from 'pino';
import { WebSocketServer } from 'ws';
import { createApp } from '../../apps/server/src/app.ts';
import { liveAccessCheck } from '../../apps/server/src/comments/access.ts';
import { createNotificationJobs, type NotificationJobs } from '../../apps/server/src/comments/mail-job.ts';
import type { AppDependencies } from '../../apps/server/src/http/context.ts';
import { createProxyTrust } from '../../apps/server/src/http/proxy-trust.ts';
import { type HttpTimeouts, httpServerOptions } from '../../apps/server/src/http/server-options.ts';
import { serveUpgrades } from '../../apps/server/src/http/websocket-upgrade.ts';
import { createLiveHub, type LiveHub } from '../../apps/server/src/live/hub.ts';
import { createSmtpMailer } from '../../apps/server/src/mail.ts';
import { type Realtime, startRealtime } from '../../apps/server/src/realtime.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

/** A password that passes the rules, used for every test account. */
export const testPassword = 'correct horse battery staple';

/** Nordraum's HTTP app on a real port and its own database, with an administrator. */
export interface TestApp {
  url: string;
  origin: string;
  database: TestDatabase;
  /** The sync server, when started with `sync` options. */
  sync: SyncServer | undefined;
  admin: ApiClient & { id: string; email: string };
  /** Creates a user in the organisation with this code and returns a logged-in client for them. */
  user(
    orgCode: string,
    options?: { name?: string; isAdmin?: boolean },
  ): Promise<ApiClient & { id: string; email: string }>;
  /** A client with no session. */
  anonymous(): ApiClient;
  /** The notification mail queue and daily jobs of this instance (started). */
  jobs: NotificationJobs;
  /** The live channel's hub of this instance. */
  live: LiveHub;
  close(): Promise<void>;
}

let counter = 0;

/** Options for {@link startTestApp}. */
export interface TestAppOptions {
  /** Lower limits make rate limiting quick to test. */
  loginLimits?: AppDependencies['loginLimits'];
  /**
   * Comments one person may write; by default no bound a test reaches (role matrices write
   * dozens a second), lower ones make the limit quick to test.
   */
  commentLimits?: AppDependencies['commentLimits'];
  /** Starts the realtime sync server too, with these overrides. */
  sync?: {
    unloadDelayMs?: number;
    compactAfter?: number;
    maxMessageBytes?: number;
    throttle?: { perSecond: number; burst: number };
    /** Other sync settings (`defaultSettings` of packages/sync otherwise). */
    limits?: Partial<SyncSettings>;
    onIdle?: () => void;
    /** Wraps the real access re-check, e.g. to hold its answer back (the database stays real). */
    reauthorize?: (check: SyncServerOptions['reauthorize']) => SyncServerOptions['reauthorize'];
    /** Wraps the real update log, e.g. to hold a load's answer back (the database stays real). */
    store?: (store: DocumentStore) => DocumentStore;
  };
  /** Reuse this database instead of creating one (a second instance on the same data). */
  database?: TestDatabase;
  /** Sends invitation e-mails through this SMTP server. */
  smtpUrl?: string;
  /** TRUST_PROXY entries, e.g. ['127.0.0.1'] to let a test speak as a proxy. */
  trustProxy?: string[];
  /** NORDRAUM_METRICS_TOKEN. */
  metricsToken?: string;
  /** Shorter HTTP time limits than the production defaults. */
  httpTimeouts?: Partial<HttpTimeouts>;
  /** First retry of a failed notification mail after this many seconds (default 0 in tests). */
  mailRetrySeconds?: number;
  /** Listens on all addresses (the URL stays on 127.0.0.1), to be reached from another address of this machine. */
  listenEverywhere?: boolean;
  /** Renders exports and reads uploads (the process's shared pool otherwise). */
  exportRenderer?: AppDependencies['exportRenderer'];
}

/** Starts the app on port 0 with its own database (or a shared one), in this process. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const silent = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  let realtime: Realtime | undefined;
  if (options.sync) {
    const { throttle, limits, store, reauthorize, onIdle, ...settings } = options.sync;
    realtime = await startRealtime({
      db: database.db,
      pool: database.pool,
      url: database.url,
      log: silent,
      instanceId: Math.random().toString(16).slice(2),
      settings: { ...limits, ...settings, framesPerSecond: throttle?.perSecond, burst: throttle?.burst },
      indexDelayMs: 200,
      onIdle,
      wrapStore: store,
      wrapReauthorize: reauthorize,
    });
  }
  const sync = realtime?.sync;
  const live = await createLiveHub({
    url: database.url,
    pool: database.pool,
    check: liveAccessCheck(database.db),
    instanceId: sync?.instanceId,
    log: silent,
    limits: sync?.settings,
  });
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: sync?.settings.maxMessageBytes ?? defaultSettings.maxMessageBytes,
  });
  let app: ReturnType<typeof createApp> | undefined;
  // Listen first: the origin (with its port) is part of the app's configuration.
  const server = await new Promise<Server>((resolve) => {
    const fetch = (request: Request, env: unknown) => app!.fetch(request, env);
    const s = serve(
      {
        fetch,
        port: 0,
        hostname: options.listenEverywhere ? '0.0.0.0' : '127.0.0.1',
        serverOptions: httpServerOptions(options.httpTimeouts),
      },
      () => resolve(s as Server),
    );
    serveUpgrades(s as Server, wss, fetch);
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const mailer = options.smtpUrl ? createSmtpMailer(options.smtpUrl, 'Nordraum <test@nordraum.example>') : undefined;
  const jobs = createNotificationJobs({
    db: database.db,
    mailer,
    publicOrigin: url,
    log: silent,
    retryBaseSeconds: options.mailRetrySeconds ?? 0,
  });
  live.onEvent((event) => {
    if (event.kind === 'notification') void jobs.run();
  });
  jobs.start();
  app = createApp({
    db: database.db,
    isDatabaseReady: database.ping,
    logger: silent,
    publicOrigin: url,
    allowedOrigins: [url],
    loginLimits: options.loginLimits,
    commentLimits: options.commentLimits ?? { perMinute: 1_000_000, perHour: 1_000_000 },
    sync,
    indexer: realtime?.indexer,
    search: realtime?.search,
    proxyTrust: createProxyTrust(options.trustProxy ?? []),
    metricsToken: options.metricsToken,
    live,
    mailer,
    exportRenderer: options.exportRenderer,
  });

  const makeUser = async (orgCode: string, userOptions: { name?: string; isAdmin?: boolean } = {}) => {
    const organization = await findOrganization(database.db, { code: orgCode });
    if (!organization) throw new Error(`no organisation ${orgCode}`);
    counter += 1;
    const email = `user${counter}-${Date.now()}@${orgCode.toLowerCase()}.example`;
    const created = await createUser(database.db, {
      email,
      name: userOptions.name ?? `Test ${orgCode} ${counter}`,
      organizationId: organization.id,
      passwordHash: await hashPassword(testPassword),
      isAdmin: userOptions.isAdmin ?? false,
    });
    const client = new ApiClient(url);
    await client.login(email, testPassword);
    return Object.assign(client, { id: created.id, email });
  };

  const admin = await makeUser('DATAPORT', { isAdmin: true, name: 'Admin' });
  return {
    live,
    url,
    origin: url,
    database,
    sync,
    admin,
    user: makeUser,
    anonymous: () => new ApiClient(url),
    jobs,
    async close() {
      await jobs.stop();
      const closed = new Promise<void>((done) => server.close(() => done()));
      await live.close();
      await realtime?.stop();
      server.closeAllConnections();
      await closed;
      if (!options.database) await database.drop();
    },
  };
}

/** A tiny HTTP client that keeps the session cookie, like a browser tab. */
export class ApiClient {
  readonly baseUrl: string;
  cookie: string | undefined;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  /** Sends a request; JSON bodies are encoded, the session cookie is kept up to date. */
  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = (pair ?? '').split('=');
      if (name === 'nordraum_session') this.cookie = value ? `${name}=${value}` : undefined;
    }
    const text = await response.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, json, text };
  }

  get(path: string) {
    return this.request('GET', path);
  }
  post(path: string, body?: unknown) {
    return this.request('POST', path, body);
  }
  put(path: string, body?: unknown) {
    return this.request('PUT', path, body);
  }
  patch(path: string, body?: unknown) {
    return this.request('PATCH', path, body);
  }
  delete(path: string) {
    return this.request('DELETE', path);
  }

  /** Logs in and keeps the session; throws unless it worked. */
  async login(email: string, password: string) {
    const response = await this.post('/api/auth/login', { email, password });
    if (response.status !== 200) throw new Error(`login failed: ${response.status} ${response.text}`);
    return response;
  }
}

/**
 * What a person does at first login when an administrator created their account with a start
 * password: sets their own. Tests that need such a person to get on with their work call this;
 * they keep using `password`, which becomes the person's own once it was replaced once.
 */
export async function adoptStartPassword(baseUrl: string, email: string, password: string): Promise<void> {
  const person = new ApiClient(baseUrl);
  await person.login(email, password);
  for (const [currentPassword, newPassword] of [
    [password, `${password} (eigenes)`],
    [`${password} (eigenes)`, password],
  ]) {
    const changed = await person.post('/api/me/password', { currentPassword, newPassword });
    if (changed.status !== 204) throw new Error(`changing the password of ${email} failed: ${changed.text}`);
  }
  await person.post('/api/auth/logout');
}
