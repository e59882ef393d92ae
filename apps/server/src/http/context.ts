import type { CommentLimits, ValidSession } from '@nordraum/auth';
import type { Database } from '@nordraum/db';
import type { SyncServer } from '@nordraum/sync';
import type { Logger } from 'pino';
import type { Mailer } from '../mail.ts';

/** What every route handler may use; passed in by the composition root. */
export interface AppDependencies {
  db: Database;
  /** Whether the database answers; drives /readyz. */
  isDatabaseReady: () => Promise<boolean>;
  logger: Logger;
  publicOrigin: string;
  allowedOrigins: string[];
  /**
   * Failed logins after which further attempts wait, per account and per address, within a window;
   * defaults 5 per account and 20 per address in 15 minutes (see packages/auth login-throttle.ts).
   */
  loginLimits?: { perAccount: number; perAddress: number; windowSeconds: number };
  /** Comments one person may write (threads, replies, edits); default 30 a minute and 600 an hour. */
  commentLimits?: CommentLimits;
  /** Proxies whose X-Forwarded-For/-Proto are believed (TRUST_PROXY); default: none. */
  proxyTrust?: import('./proxy-trust.ts').ProxyTrust;
  /** Bearer token that opens /metrics from anywhere (NORDRAUM_METRICS_TOKEN); loopback needs none. */
  metricsToken?: string;
  /** Largest request body in bytes per route; default 1 MiB everywhere (see http/body-limit.ts). */
  bodyLimits?: import('./body-limit.ts').BodyLimits;
  /** Sends invitation links by e-mail when SMTP_URL is configured. */
  mailer?: Mailer;
  /** Imprint text and feedback contact, as the operator configured them. */
  site?: { imprint: string | null; contactEmail: string | null };
  /** Keeps the "my actions" index up to date; absent in API-only tests. */
  indexer?: import('../action-index.ts').ActionIndexer;
  /** The search index; absent in API-only tests. */
  search?: import('../search-index.ts').SearchIndexer;
  /** The realtime sync server behind /sync and /metrics; absent in API-only tests. */
  sync?: SyncServer;
  /** The live channel of comments and notifications (server-sent events); absent in some tests. */
  live?: import('../live/hub.ts').LiveHub;
  /** Renders export files in worker threads; default: the process's one-worker pool (export/render-pool.ts). */
  exportRenderer?: import('../export/render-pool.ts').RenderPool;
  /** Serves everything that is not API: the SvelteKit handler of the built web app. */
  webHandler?: NodeHandler;
}

/** A Node request handler such as SvelteKit's adapter-node `handler`. */
export type NodeHandler = (
  req: import('node:http').IncomingMessage,
  res: import('node:http').ServerResponse,
  next?: () => void,
) => void;

/** Hono environment: per-request variables. */
export interface AppEnv {
  Variables: {
    requestId: string;
    session: ValidSession | null;
    log: Logger;
    /** The trusted proxies, set once per request by the app (see proxy-trust.ts). */
    proxyTrust: import('./proxy-trust.ts').ProxyTrust;
    /** The client behind them, resolved on first use by `clientAddress`. */
    client: import('./proxy-trust.ts').ResolvedClient | undefined;
  };
}
