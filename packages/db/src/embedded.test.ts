import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded.ts';

const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

async function dataDir(suffix = '') {
  const dir = await mkdtemp(join(tmpdir(), 'nordraum-embedded-'));
  made.push(dir);
  if (!suffix) return dir;
  // Run as root, PostgreSQL runs as `postgres`, which must pass through the parent too.
  await chmod(dir, 0o711);
  await mkdir(join(dir, suffix));
  return join(dir, suffix);
}

/** The address PostgreSQL sees the connection come from: null for a Unix socket. */
async function clientAddress(config: string | pg.ClientConfig): Promise<string | null> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return (await client.query<{ address: string | null }>('select inet_client_addr()::text as address')).rows[0]!
      .address;
  } finally {
    await client.end();
  }
}

describe('the embedded PostgreSQL', () => {
  it('is reached through a Unix socket in its own directory, and still listens on 127.0.0.1 for operators', async () => {
    const embedded = await startEmbeddedPostgres({ dataDir: await dataDir() });
    try {
      expect(await clientAddress(embedded.url)).toBeNull();
      const tcp = new URL(embedded.url);
      tcp.search = '';
      expect(await clientAddress(tcp.toString())).toBe('127.0.0.1/32');
    } finally {
      await embedded.stop();
    }
  }, 120_000);

  it('is reached over TCP when the data directory is too deep for a socket path', async () => {
    const embedded = await startEmbeddedPostgres({ dataDir: await dataDir('d'.repeat(90)) });
    try {
      expect(await clientAddress(embedded.url)).toBe('127.0.0.1/32');
    } finally {
      await embedded.stop();
    }
  }, 120_000);
});
