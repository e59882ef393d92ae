import { z } from 'zod';

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
});

/** Validated configuration; see README for every variable. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** The origin users see; cookies and Origin checks use it. */
  publicOrigin: string;
  /** Origins accepted on mutating requests and websocket upgrades. */
  allowedOrigins: string[];
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  admin: { email: string | undefined; password: string | undefined; organizationCode: string };
}

/** Thrown for an invalid environment; the message names every bad variable. */
export class ConfigError extends Error {}

/** Reads and validates the environment. Without PUBLIC_ORIGIN on a loopback host, both loopback names are accepted. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = environmentSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const hostForUrl = e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST;
  const publicOrigin = e.PUBLIC_ORIGIN ?? `http://${hostForUrl}:${e.PORT}`;
  const allowedOrigins =
    e.PUBLIC_ORIGIN === undefined && loopbackHosts.has(e.HOST)
      ? [publicOrigin, `http://127.0.0.1:${e.PORT}`, `http://localhost:${e.PORT}`]
      : [publicOrigin];
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    publicOrigin,
    allowedOrigins: [...new Set(allowedOrigins)],
    logLevel: e.LOG_LEVEL,
    admin: {
      email: e.NORDRAUM_ADMIN_EMAIL?.toLowerCase(),
      password: e.NORDRAUM_ADMIN_PASSWORD,
      organizationCode: e.NORDRAUM_ADMIN_ORG,
    },
  };
}
