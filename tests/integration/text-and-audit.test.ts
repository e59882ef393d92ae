// Strings PostgreSQL cannot store are refused with 400 naming the field, before anything is
// written; and an action and its audit entry are kept together or not at all.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const count = async (query: ReturnType<typeof sql>) => Number((await app.database.db.execute(query)).rows[0]!.n);
const roomsNamed = (name: string) => count(sql`select count(*) as n from room where name like ${`${name}%`}`);

describe('bad strings', () => {
  it('refuses a lone surrogate in a room name with 400 and creates nothing', async () => {
    const owner = await app.user('SH');
    // JSON.stringify writes the lone surrogate as the escape \ud800, as a hostile client would.
    const response = await owner.post('/api/rooms', { name: 'Surrogat x\ud800y' });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('validation_failed');
    expect(Object.keys(response.json.error.fields)).toEqual(['name']);
    expect(await roomsNamed('Surrogat')).toBe(0);
  });

  it('refuses a NUL in a description with 400 and creates nothing', async () => {
    const owner = await app.user('SH');
    const response = await owner.post('/api/rooms', { name: 'NUL-Raum', description: 'vor\u0000nach' });
    expect(response.status).toBe(400);
    expect(response.json.error.fields.description).toMatch(/NUL/);
    expect(await roomsNamed('NUL-Raum')).toBe(0);
  });

  type BadRequest = { method: string; path: string; body: Record<string, string>; field: string };
  const cases: [string, (roomId: string, organizationId: string) => BadRequest][] = [
    [
      'a document title',
      (roomId) => ({
        method: 'POST',
        path: `/api/rooms/${roomId}/documents`,
        body: { kind: 'notes', title: 'a\udc00' },
        field: 'title',
      }),
    ],
    [
      'a changed room description',
      (roomId) => ({
        method: 'PATCH',
        path: `/api/rooms/${roomId}`,
        body: { description: 'b\ud800' },
        field: 'description',
      }),
    ],
    [
      'an invitation name',
      (roomId, organizationId) => ({
        method: 'POST',
        path: '/api/invitations',
        body: { email: 'x@sh.example', name: 'c\u0000', organizationId, roomId, role: 'viewer' },
        field: 'name',
      }),
    ],
  ];

  it.each(cases)('refuses the same in %s, naming the field', async (_, build) => {
    const owner = await app.user('SH');
    const me = (await owner.get('/api/me')).json.user;
    const room = (await owner.post('/api/rooms', { name: 'AG Zeichen' })).json.room;
    const { method, path, body, field } = build(room.id, me.organization.id);
    const response = await owner.request(method, path, body);
    expect(response.status).toBe(400);
    expect(Object.keys(response.json.error.fields)).toEqual([field]);
  });

  it('still stores well-formed text outside the Basic Multilingual Plane', async () => {
    const owner = await app.user('MV');
    const response = await owner.post('/api/rooms', { name: 'Emoji 🚀 Raum' });
    expect(response.status).toBe(201);
    expect(response.json.room.name).toBe('Emoji 🚀 Raum');
  });
});

describe('audit entries and their actions', () => {
  it('rolls the action back when its audit entry cannot be written', async () => {
    const owner = await app.user('SH');
    const db = app.database.db;
    await db.execute(sql`
      create function refuse_room_audit() returns trigger language plpgsql as $$
      begin
        if new.action = 'room.create' then raise exception 'audit refused for the test'; end if;
        return new;
      end $$`);
    await db.execute(
      sql`create trigger refuse_room_audit before insert on audit_log for each row execute function refuse_room_audit()`,
    );
    try {
      const response = await owner.post('/api/rooms', { name: 'Ohne Protokoll' });
      expect(response.status).toBe(500);
      expect(await roomsNamed('Ohne Protokoll')).toBe(0);
      expect(await count(sql`select count(*) as n from room_member where user_id = ${owner.id}`)).toBe(0);
    } finally {
      await db.execute(sql`drop trigger refuse_room_audit on audit_log`);
      await db.execute(sql`drop function refuse_room_audit()`);
    }
    expect((await owner.post('/api/rooms', { name: 'Ohne Protokoll' })).status).toBe(201);
  });

  it('rolls back a member change whose audit entry fails', async () => {
    const owner = await app.user('SH');
    const colleague = await app.user('SH');
    const room = (await owner.post('/api/rooms', { name: 'AG Mitglieder' })).json.room;
    const db = app.database.db;
    await db.execute(sql`alter table audit_log add constraint no_member_audit check (action <> 'room.member.set')`);
    try {
      expect((await owner.put(`/api/rooms/${room.id}/members/${colleague.id}`, { role: 'editor' })).status).toBe(500);
    } finally {
      await db.execute(sql`alter table audit_log drop constraint no_member_audit`);
    }
    const members = (await owner.get(`/api/rooms/${room.id}/members`)).json.members;
    expect(members.map((member: { user: { id: string } }) => member.user.id)).toEqual([owner.id]);
  });
});
