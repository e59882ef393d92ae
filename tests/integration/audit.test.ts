import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adoptStartPassword, startTestApp, type TestApp, testPassword } from '../helpers/app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

async function entries(query = '') {
  const response = await app.admin.get(`/api/admin/audit?limit=500${query}`);
  expect(response.status).toBe(200);
  return response.json.entries as {
    action: string;
    actorId: string | null;
    actorEmail: string | null;
    targetId: string | null;
    roomId: string | null;
    ip: string | null;
    at: string;
  }[];
}

describe('the audit log', () => {
  it('records the access-control story of a room, with actor, target, time and address', async () => {
    const org = (await app.admin.get('/api/organizations')).json.organizations.find(
      (o: { code: string }) => o.code === 'MV',
    );
    const password = 'ein sehr geheimes Passwort';
    const created = await app.admin.post('/api/admin/users', {
      email: 'neu@mv.example',
      name: 'Neu',
      organizationId: org.id,
      password,
    });
    const userId = created.json.user.id;
    await adoptStartPassword(app.url, 'neu@mv.example', password);
    const client = app.anonymous();
    await client.post('/api/auth/login', { email: 'neu@mv.example', password: 'falsches Passwort!' });
    await client.login('neu@mv.example', password);
    const token = client.cookie!;
    const room = (await app.admin.post('/api/rooms', { name: 'AG Audit' })).json.room;
    await app.admin.put(`/api/rooms/${room.id}/members/${userId}`, { role: 'editor' });
    await app.admin.put(`/api/rooms/${room.id}/grants/${org.id}`, { role: 'viewer' });
    const doc = (await client.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Notiz' })).json.document;
    await client.patch(`/api/documents/${doc.id}`, { archived: true });
    await client.post('/api/auth/logout');
    await app.admin.patch(`/api/admin/users/${userId}`, { disabled: true });

    const log = await entries();
    const actions = log.map((e) => e.action);
    for (const action of [
      'user.create',
      'auth.login_failed',
      'auth.login',
      'room.member.set',
      'room.grant.set',
      'document.create',
      'document.archive',
      'auth.logout',
      'user.disable',
    ]) {
      expect(actions).toContain(action);
    }
    const failed = log.find((e) => e.action === 'auth.login_failed')!;
    expect(failed.actorEmail).toBe('neu@mv.example');
    expect(failed.ip).toBe('127.0.0.1');
    const member = log.find((e) => e.action === 'room.member.set' && e.targetId === userId)!;
    expect(member).toMatchObject({ actorId: app.admin.id, roomId: room.id, ip: '127.0.0.1' });
    expect(new Date(member.at).toISOString()).toBe(member.at);

    const everything = JSON.stringify((await app.database.db.execute(sql`select * from audit_log`)).rows);
    expect(everything).not.toContain(password);
    expect(everything).not.toContain('falsches Passwort!');
    expect(everything).not.toContain(testPassword);
    expect(everything).not.toContain(token.split('=')[1]!.split('.')[1]!);
  });

  it('filters by actor, action, room and time range', async () => {
    const owner = await app.user('SH');
    const room = (await owner.post('/api/rooms', { name: 'AG Filter' })).json.room;
    await owner.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'A' });
    const byRoom = await entries(`&roomId=${room.id}`);
    expect(byRoom.map((e) => e.action).sort()).toEqual(['document.create', 'room.create']);
    const byActor = await entries(`&actor=${owner.id}&action=document.create`);
    expect(byActor).toHaveLength(1);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await entries(`&from=${encodeURIComponent(future)}`)).toEqual([]);
    const past = new Date(Date.now() - 60_000).toISOString();
    expect((await entries(`&roomId=${room.id}&to=${encodeURIComponent(past)}`)).length).toBe(0);
    expect((await app.admin.get('/api/admin/audit?from=yesterday')).status).toBe(400);
  });
});
