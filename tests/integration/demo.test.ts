import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/app.ts';
import { startNordraumProcess } from '../helpers/process.ts';
import { connectClient } from '../helpers/sync.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nordraum-demo-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('NORDRAUM_DEMO=1', () => {
  it('seeds a working demo on an empty database and prints the logins', async () => {
    const server = await startNordraumProcess({ DATA_DIR: dataDir, NORDRAUM_DEMO: '1' });
    const login = server.output().match(/maria\.mueller@mv\.demo\s+(\S+)/);
    expect(login).not.toBeNull();
    const maria = new ApiClient(server.url);
    await maria.login('maria.mueller@mv.demo', login![1]!);
    const rooms = (await maria.get('/api/rooms')).json.rooms as {
      id: string;
      name: string;
      organizations: { code: string }[];
    }[];
    expect(rooms.map((room) => room.name)).toEqual(
      expect.arrayContaining([
        'AG Künstliche Intelligenz',
        'AG IT-Resilienz',
        'Lenkungskreis SH–MV',
        'AG Open Source und digitale Souveränität',
      ]),
    );
    const openSource = rooms.find((room) => room.name.startsWith('AG Open Source'))!;
    expect(openSource.organizations.map((org) => org.code)).toEqual(['DATAPORT', 'DVZ', 'MV', 'SH']);
    const documents = (await maria.get(`/api/rooms/${openSource.id}/documents`)).json.documents as {
      id: string;
      kind: string;
    }[];
    expect(documents.map((document) => document.kind).sort()).toEqual(['actions', 'notes', 'roadmap']);
    const mine = (await maria.get('/api/my-actions')).json.actions as { title: string; due: string }[];
    expect(mine.map((action) => action.title)).toContain('Komponentenliste aus MV zusammenstellen');
    const roadmap = documents.find((document) => document.kind === 'roadmap')!;
    expect((await maria.get(`/api/documents/${roadmap.id}/export`)).text).toContain(
      'Katalog nachnutzbarer Open-Source-Komponenten',
    );
    const notes = documents.find((document) => document.kind === 'notes')!;
    const client = connectClient({ url: server.url, origin: server.url, cookie: maria.cookie }, notes.id);
    await client.synced();
    expect(client.doc.getXmlFragment('default').toString()).toContain('Workshop Open Source und digitale Souveränität');
    client.destroy();
    await server.stop();
  });

  it('never touches a database that already has data', async () => {
    const server = await startNordraumProcess({ DATA_DIR: dataDir, NORDRAUM_DEMO: '1' });
    expect(server.output()).toMatch(/database has data already/);
    expect(server.output()).not.toMatch(/\.demo\s+\S+\s+\(/);
    await server.stop();
  });
});
