import { type CommentLimits, defaultCommentLimits } from '@nordraum/auth';
import type { SyncSettings } from '@nordraum/sync';
import { z } from 'zod';
import { isProxyEntry } from './http/proxy-trust.ts';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);

const origin = z
  .url({ protocol: /^https?$/ })
  .refine((value) => URL.canParse(value) && new URL(value).pathname === '/' && !value.includes('?'), {
    message: 'must be an origin such as https://nordraum.example.de, without a path',
  })
  .transform((value) => new URL(value).origin);

/** The environment Nordraum reads, with its defaults. */
export const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
    .optional(),
  PUBLIC_ORIGIN: origin.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NORDRAUM_ADMIN_EMAIL: z.email().optional(),
  NORDRAUM_ADMIN_PASSWORD: z.string().min(12).max(128).optional(),
  NORDRAUM_ADMIN_ORG: z.string().min(1).default('DATAPORT'),
  NORDRAUM_IMPRINT: z.string().max(20_000).optional(),
  NORDRAUM_IMPRINT_FILE: z.string().min(1).optional(),
  NORDRAUM_CONTACT_EMAIL: z.email().optional(),
  NORDRAUM_DEMO: z.enum(['0', '1', 'true', 'false']).optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, { message: 'must be an smtp:// or smtps:// URL' })
    .optional(),
  SMTP_FROM: z.string().min(3).optional(),
  // Unset sync settings keep `defaultSettings` of packages/sync.
  NORDRAUM_SYNC_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).optional(),
  NORDRAUM_SYNC_UNLOAD_MS: z.coerce.number().int().min(0).optional(),
  NORDRAUM_SYNC_COMPACT_AFTER: z.coerce.number().int().min(1).optional(),
  NORDRAUM_SYNC_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).optional(),
  NORDRAUM_SYNC_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).optional(),
  NORDRAUM_SYNC_HEARTBEAT_MS: z.coerce.number().int().min(1_000).optional(),
  // Unset comment limits keep `defaultCommentLimits` of packages/auth.
  NORDRAUM_COMMENTS_PER_MINUTE: z.coerce.number().int().min(1).optional(),
  NORDRAUM_COMMENTS_PER_HOUR: z.coerce.number().int().min(1).optional(),
  TRUST_PROXY: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    )
    .refine((entries) => entries.every(isProxyEntry), {
      message: 'must be a comma-separated list of IP addresses or CIDR blocks, e.g. 127.0.0.1,10.0.0.0/8',
    })
    .optional(),
  NORDRAUM_METRICS_TOKEN: z.string().min(16, { message: 'at least 16 characters' }).optional(),
  NORDRAUM_DATABASE_LOST_EXIT_MS: z.coerce.number().int().min(1_000).default(300_000),
  NORDRAUM_SEARCH_INDEX: z.enum(['on', 'off']).default('on'),
  NORDRAUM_EXPORT_WORKERS: z.coerce.number().int().min(0).max(4).default(1),
  NORDRAUM_EXPORT_NICENESS: z.coerce.number().int().min(0).max(19).default(10),
  NORDRAUM_EXPORT_SCHEDULING: z.enum(['idle', 'nice']).default('nice'),
  // Unset, the render process keeps `defaultRenderPoolOptions` (export/render-pool.ts): 5 minutes, 1024 MiB.
  // At most a day: past 2^31 ms a timer fires at once, and the process would end after every job.
  NORDRAUM_EXPORT_IDLE_MS: z.coerce.number().int().min(1_000).max(86_400_000).optional(),
  // Bounds that only catch typos: an import at the 20 MB upload limit peaked at 408 MiB resident.
  NORDRAUM_EXPORT_HEAP_MIB: z.coerce.number().int().min(256).max(16_384).optional(),
});

/** Validated configuration; see README for every variable. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** PUBLIC_ORIGIN as configured; unset means "derive it from HOST and the port listened on". */
  publicOrigin: string | undefined;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  admin: { email: string | undefined; password: string | undefined; organizationCode: string };
  /** Overrides of the sync settings; unset ones keep `defaultSettings` (packages/sync). */
  sync: Partial<SyncSettings>;
  /** Comments one person may write (NORDRAUM_COMMENTS_PER_MINUTE / _PER_HOUR, default 30 and 600). */
  commentLimits: CommentLimits;
  /** The imprint as text (NORDRAUM_IMPRINT) or a file to read it from; the feedback contact. */
  site: { imprint: string | undefined; imprintFile: string | undefined; contactEmail: string | undefined };
  /** Seed demo data on an empty database (NORDRAUM_DEMO=1). */
  demo: boolean;
  /** SMTP server for invitation e-mails; without it, links are only shown. */
  smtp: { url: string; from: string | undefined } | undefined;
  /** Reverse proxies whose X-Forwarded-For/-Proto are believed (TRUST_PROXY); empty: none. */
  trustProxy: string[];
  /** Bearer token for /metrics from other machines (NORDRAUM_METRICS_TOKEN); loopback needs none. */
  metricsToken: string | undefined;
  /** How long an external database may stay unreachable before the process exits (ms). */
  databaseLostExitMs: number;
  /**
   * Whether this instance keeps the search index up to date from document content (true).
   * NORDRAUM_SEARCH_INDEX=off exists to measure what indexing costs the editing path (bench).
   */
  searchIndex: boolean;
  /** Child processes rendering exports (NORDRAUM_EXPORT_WORKERS, default 1); 0 renders in the main thread. */
  exportWorkers: number;
  /** Nice value of every thread of the export render processes on Linux (NORDRAUM_EXPORT_NICENESS, default 10). */
  exportNiceness: number;
  /**
   * Scheduling of the export threads and the version-state thread on Linux
   * (NORDRAUM_EXPORT_SCHEDULING, default `nice`: the nice value only; `idle`: SCHED_IDLE).
   */
  exportScheduling: 'idle' | 'nice';
  /**
   * How long an export render process stays without a job (NORDRAUM_EXPORT_IDLE_MS) and its heap
   * limit in MiB (NORDRAUM_EXPORT_HEAP_MIB); unset ones keep the pool's defaults (5 minutes, 1024).
   */
  exportProcess: { idleMs: number | undefined; heapMiB: number | undefined };
}

/** Thrown for an invalid environment; the message names every bad variable. */
export class ConfigError extends Error {}

/** Reads and validates the environment. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = environmentSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    publicOrigin: e.PUBLIC_ORIGIN,
    logLevel: e.LOG_LEVEL,
    admin: {
      email: e.NORDRAUM_ADMIN_EMAIL?.toLowerCase(),
      password: e.NORDRAUM_ADMIN_PASSWORD,
      organizationCode: e.NORDRAUM_ADMIN_ORG,
    },
    demo: e.NORDRAUM_DEMO === '1' || e.NORDRAUM_DEMO === 'true',
    smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM } : undefined,
    site: { imprint: e.NORDRAUM_IMPRINT, imprintFile: e.NORDRAUM_IMPRINT_FILE, contactEmail: e.NORDRAUM_CONTACT_EMAIL },
    sync: {
      maxMessageBytes: e.NORDRAUM_SYNC_MAX_MESSAGE_BYTES,
      unloadDelayMs: e.NORDRAUM_SYNC_UNLOAD_MS,
      compactAfter: e.NORDRAUM_SYNC_COMPACT_AFTER,
      maxConnectionsPerUser: e.NORDRAUM_SYNC_MAX_CONNECTIONS_PER_USER,
      maxConnectionsPerAddress: e.NORDRAUM_SYNC_MAX_CONNECTIONS_PER_ADDRESS,
      heartbeatMs: e.NORDRAUM_SYNC_HEARTBEAT_MS,
    },
    commentLimits: {
      perMinute: e.NORDRAUM_COMMENTS_PER_MINUTE ?? defaultCommentLimits.perMinute,
      perHour: e.NORDRAUM_COMMENTS_PER_HOUR ?? defaultCommentLimits.perHour,
    },
    trustProxy: e.TRUST_PROXY ?? [],
    metricsToken: e.NORDRAUM_METRICS_TOKEN,
    databaseLostExitMs: e.NORDRAUM_DATABASE_LOST_EXIT_MS,
    searchIndex: e.NORDRAUM_SEARCH_INDEX === 'on',
    exportWorkers: e.NORDRAUM_EXPORT_WORKERS,
    exportNiceness: e.NORDRAUM_EXPORT_NICENESS,
    exportScheduling: e.NORDRAUM_EXPORT_SCHEDULING,
    exportProcess: { idleMs: e.NORDRAUM_EXPORT_IDLE_MS, heapMiB: e.NORDRAUM_EXPORT_HEAP_MIB },
  };
}

/**
 * The origin users see and the origins accepted on mutating requests and websocket upgrades, once
 * the port is known. Without PUBLIC_ORIGIN on a loopback host, both loopback names are accepted.
 */
export function resolveOrigins(config: Pick<Config, 'host' | 'publicOrigin'>, port: number) {
  if (config.publicOrigin) return { publicOrigin: config.publicOrigin, allowedOrigins: [config.publicOrigin] };
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const publicOrigin = `http://${host}:${port}`;
  const allowedOrigins = loopbackHosts.has(config.host)
    ? [publicOrigin, `http://127.0.0.1:${port}`, `http://localhost:${port}`]
    : [publicOrigin];
  return { publicOrigin, allowedOrigins: [...new Set(allowedOrigins)] };
}
