import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@nordraum/db';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

/** The address PostgreSQL sees for a connection to `url`: null over a Unix socket. */
async function clientAddress(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ address: string | null }>('select inet_client_addr()::text as address')).rows[0]!
      .address;
  } finally {
    await client.end();
  }
}

describe('the embedded PostgreSQL', () => {
  it('is reached through a Unix socket in DATA_DIR, or over TCP when the path is too long for one', async () => {
    const short = await mkdtemp(join(tmpdir(), 'nordraum-socket-'));
    const parent = await mkdtemp(join(tmpdir(), 'nordraum-socket-'));
    // As root, PostgreSQL runs as `postgres`, which must be able to pass through the parent.
    await chmod(parent, 0o711);
    const long = join(parent, 'a'.repeat(90));
    try {
      const viaSocket = await startEmbeddedPostgres({ dataDir: short });
      try {
        expect(viaSocket.url).toContain(`host=${encodeURIComponent(join(short, 'postgres.sock'))}`);
        expect(await clientAddress(viaSocket.url)).toBeNull();
      } finally {
        await viaSocket.stop();
      }
      const viaTcp = await startEmbeddedPostgres({ dataDir: long });
      try {
        expect(viaTcp.url).not.toContain('host=');
        expect(await clientAddress(viaTcp.url)).toBe('127.0.0.1/32');
      } finally {
        await viaTcp.stop();
      }
    } finally {
      await rm(short, { recursive: true, force: true });
      await rm(parent, { recursive: true, force: true });
    }
  }, 120_000);
});
