import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { hashPassword } from '@nordraum/auth';
import { createUser, findOrganization } from '@nordraum/db';
import pino from 'pino';
import { createApp } from '../../apps/server/src/app.ts';
import type { AppDependencies } from '../../apps/server/src/http/context.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

/** A password that passes the rules, used for every test account. */
export const testPassword = 'correct horse battery staple';

/** Nordraum's HTTP app on a real port and its own database, with an administrator. */
export interface TestApp {
  url: string;
  origin: string;
  database: TestDatabase;
  admin: ApiClient & { id: string; email: string };
  /** Creates a user in the organisation with this code and returns a logged-in client for them. */
  user(
    orgCode: string,
    options?: { name?: string; isAdmin?: boolean },
  ): Promise<ApiClient & { id: string; email: string }>;
  /** A client with no session. */
  anonymous(): ApiClient;
  close(): Promise<void>;
}

let counter = 0;

/** Starts the app on port 0; `loginLimits` can be lowered to test rate limiting quickly. */
export async function startTestApp(options: { loginLimits?: AppDependencies['loginLimits'] } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  let app: ReturnType<typeof createApp> | undefined;
  // Listen first: the origin (with its port) is part of the app's configuration.
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: (request, env) => app!.fetch(request, env), port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s as Server),
    );
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  app = createApp({
    db: database.db,
    isDatabaseReady: database.ping,
    logger: pino({ level: 'silent' }),
    publicOrigin: url,
    allowedOrigins: [url],
    loginLimits: options.loginLimits,
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
    url,
    origin: url,
    database,
    admin,
    user: makeUser,
    anonymous: () => new ApiClient(url),
    async close() {
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      await database.drop();
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
