import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { startNordraumProcess } from '../helpers/process.ts';

const adminEmail = 'betrieb@dataport.example';
const adminPassword = 'Betriebspasswort 2026';
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nordraum-process-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function postgresPid(dir: string): Promise<number> {
  return Number((await readFile(join(dir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSyncSafe(`/proc/${pid}/stat`).includes(') Z ');
  } catch {
    return false;
  }
}

function readFileSyncSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

describe('Nordraum as an operator runs it, on the embedded PostgreSQL', () => {
  it('creates the cluster and the configured administrator on first start, and keeps data across restarts', async () => {
    const env = { DATA_DIR: dataDir, NORDRAUM_ADMIN_EMAIL: adminEmail, NORDRAUM_ADMIN_PASSWORD: adminPassword };
    const first = await startNordraumProcess(env);
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(first.output()).not.toContain(adminPassword);
    const admin = new ApiClient(first.url);
    await admin.login(adminEmail, adminPassword);
    const orgs = (await admin.get('/api/organizations')).json.organizations.map((o: { code: string }) => o.code);
    expect(orgs.sort()).toEqual(['DATAPORT', 'DVZ', 'ITN', 'MV', 'NI', 'SH']);
    const room = (await admin.post('/api/rooms', { name: 'AG Once-Only' })).json.room;
    const pid = await postgresPid(dataDir);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(isRunning(pid)).toBe(false);

    const second = await startNordraumProcess(env);
    const again = new ApiClient(second.url);
    await again.login(adminEmail, adminPassword);
    expect((await again.get(`/api/rooms/${room.id}`)).json.room.name).toBe('AG Once-Only');
    console.info(`ready after ${first.readyAfterMs} ms (first start), ${second.readyAfterMs} ms (second start)`);
    expect(await second.stop('SIGINT')).toBe(0);
  });

  it('recovers without help after kill -9 left its PostgreSQL behind', async () => {
    const env = { DATA_DIR: dataDir };
    const victim = await startNordraumProcess(env);
    const admin = new ApiClient(victim.url);
    await admin.login(adminEmail, adminPassword);
    const room = (await admin.post('/api/rooms', { name: 'Vor dem Absturz' })).json.room;
    const orphan = await postgresPid(dataDir);
    await victim.stop('SIGKILL');
    expect(isRunning(orphan)).toBe(true);

    const recovered = await startNordraumProcess(env);
    expect(isRunning(orphan)).toBe(false);
    const client = new ApiClient(recovered.url);
    await client.login(adminEmail, adminPassword);
    expect((await client.get(`/api/rooms/${room.id}`)).status).toBe(200);
    expect(await recovered.stop()).toBe(0);
  });

  it('refuses a second server on a data directory that is in use', async () => {
    const running = await startNordraumProcess({ DATA_DIR: dataDir });
    await expect(startNordraumProcess({ DATA_DIR: dataDir })).rejects.toThrow(/in use by another Nordraum process/);
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
    await running.stop();
  });

  it('refuses to start beside a running server that holds no lock (one of a version from before it)', async () => {
    const running = await startNordraumProcess({ DATA_DIR: dataDir });
    await rm(join(dataDir, 'nordraum.lock'));
    await expect(startNordraumProcess({ DATA_DIR: dataDir })).rejects.toThrow(/in use by another Nordraum process/);
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
    expect(await running.stop()).toBe(0);
  });

  // A path too long for a Unix socket takes the lock in Linux's abstract namespace instead.
  for (const depth of ['', 'x'.repeat(110)]) {
    it(`lets exactly one of two servers started at the same moment have the data directory${depth ? ' (a long path)' : ''}`, async () => {
      const dir = join(dataDir, depth);
      const started = await Promise.allSettled([
        startNordraumProcess({ DATA_DIR: dir }),
        startNordraumProcess({ DATA_DIR: dir }),
      ]);
      const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      const refused = started.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
      expect(running).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatch(/in use by another Nordraum process/);
      // The one that runs keeps its PostgreSQL: the other did not take it for an orphan.
      const response = await fetch(`${running[0]!.url}/readyz`);
      expect(response.status).toBe(200);
      expect(await running[0]!.stop()).toBe(0);
      // And the lock is free again.
      const again = await startNordraumProcess({ DATA_DIR: dir });
      expect(await again.stop()).toBe(0);
    });
  }

  it('prints a random administrator password once when none is configured', async () => {
    const freshDir = await mkdtemp(join(tmpdir(), 'nordraum-fresh-'));
    try {
      const server = await startNordraumProcess({ DATA_DIR: freshDir });
      const password = server.output().match(/Passwort: (\S+)/)![1]!;
      await new ApiClient(server.url).login('admin@nordraum.local', password);
      await server.stop();
      const again = await startNordraumProcess({ DATA_DIR: freshDir });
      expect(again.output()).not.toContain('Passwort:');
      await again.stop();
    } finally {
      await rm(freshDir, { recursive: true, force: true });
    }
  });
});

describe('Nordraum on an external PostgreSQL', () => {
  it('uses DATABASE_URL and starts no PostgreSQL of its own', async () => {
    const database = await createTestDatabase();
    const emptyDir = await mkdtemp(join(tmpdir(), 'nordraum-external-'));
    try {
      const server = await startNordraumProcess({
        DATABASE_URL: database.url,
        DATA_DIR: emptyDir,
        NORDRAUM_ADMIN_EMAIL: adminEmail,
        NORDRAUM_ADMIN_PASSWORD: adminPassword,
        NORDRAUM_IMPRINT: 'Dataport AöR\\nAltenholzer Straße 10-14',
        NORDRAUM_CONTACT_EMAIL: 'barrierefreiheit@dataport.example',
      });
      expect(existsSync(join(emptyDir, 'postgres'))).toBe(false);
      expect(await (await fetch(`${server.url}/api/site`)).json()).toEqual({
        imprint: 'Dataport AöR\nAltenholzer Straße 10-14',
        contactEmail: 'barrierefreiheit@dataport.example',
      });
      await new ApiClient(server.url).login(adminEmail, adminPassword);
      // Monitoring and link checkers send HEAD: a page, a file of the app and the API answer it,
      // and the process keeps serving (a HEAD for a page used to kill it).
      const script = (await (await fetch(`${server.url}/login`)).text()).match(/\/_app\/immutable\/[^"]+\.js/)![0];
      for (const path of ['/login', '/documents/2f1c6a52-1a7e-4d5e-9a57-0b8f1c1f2b3a', script, '/api/site']) {
        const response = await fetch(server.url + path, { method: 'HEAD' });
        expect([path, response.status]).toEqual([path, 200]);
      }
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect(await server.stop()).toBe(0);
    } finally {
      await rm(emptyDir, { recursive: true, force: true });
      await database.drop();
    }
  });

  it('exits 2 with the variable named when the environment is invalid', async () => {
    await expect(startNordraumProcess({ PUBLIC_ORIGIN: 'not a url' })).rejects.toThrow(
      /exited with 2[\s\S]*PUBLIC_ORIGIN/,
    );
  });
});
