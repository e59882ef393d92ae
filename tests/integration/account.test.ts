import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, testPassword } from '../helpers/app.ts';

let app: TestApp;
let orgs: Record<string, string>;
beforeAll(async () => {
  app = await startTestApp();
  orgs = Object.fromEntries(
    (await app.admin.get('/api/organizations')).json.organizations.map((o: { code: string; id: string }) => [
      o.code,
      o.id,
    ]),
  );
});
afterAll(() => app.close());

const tokenOf = (link: string) => link.split('/').at(-1)!;

describe('invitations', () => {
  it('lets an invited person create their account and land in the room with the role', async () => {
    const room = (await app.admin.post('/api/rooms', { name: 'AG Einladung' })).json.room;
    const created = await app.admin.post('/api/invitations', {
      email: 'Neu@MV.example',
      organizationId: orgs.MV,
      roomId: room.id,
      role: 'commenter',
    });
    expect(created.status).toBe(201);
    const { link } = created.json.invitation;
    expect(link).toMatch(new RegExp(`^${app.origin}/invite/[a-z2-7]{32}$`));
    const stored = JSON.stringify((await app.database.db.execute(sql`select * from one_time_token`)).rows);
    expect(stored).not.toContain(tokenOf(link));

    const visitor = app.anonymous();
    const preview = await visitor.get(`/api/invitations/${tokenOf(link)}`);
    expect(preview.json.invitation).toMatchObject({
      email: 'neu@mv.example',
      organization: { code: 'MV' },
      room: { name: 'AG Einladung' },
      role: 'commenter',
    });
    const accepted = await visitor.post(`/api/invitations/${tokenOf(link)}/accept`, {
      name: 'Nele Neumann',
      password: 'mein neues Passwort',
    });
    expect(accepted.status).toBe(201);
    expect(accepted.json.user).toMatchObject({
      email: 'neu@mv.example',
      name: 'Nele Neumann',
      organization: { code: 'MV' },
    });
    expect((await visitor.get(`/api/rooms/${room.id}`)).json.room.role).toBe('commenter');

    expect(
      (
        await app
          .anonymous()
          .post(`/api/invitations/${tokenOf(link)}/accept`, { name: 'Noch mal', password: 'mein neues Passwort' })
      ).status,
    ).toBe(404);
    expect((await app.anonymous().get(`/api/invitations/${tokenOf(link)}`)).status).toBe(404);
  });

  it('refuses expired links, existing accounts, and checks the password rules', async () => {
    const existing = await app.user('SH');
    expect((await app.admin.post('/api/invitations', { email: existing.email, organizationId: orgs.SH })).status).toBe(
      409,
    );
    const { link } = (await app.admin.post('/api/invitations', { email: 'spaet@sh.example', organizationId: orgs.SH }))
      .json.invitation;
    expect(
      (await app.anonymous().post(`/api/invitations/${tokenOf(link)}/accept`, { name: 'X', password: 'kurz' })).json
        .error.fields.password,
    ).toBeDefined();
    await app.database.db.execute(
      sql`update one_time_token set expires_at = now() - interval '1 minute' where email = 'spaet@sh.example'`,
    );
    expect((await app.anonymous().get(`/api/invitations/${tokenOf(link)}`)).status).toBe(404);
    expect((await app.anonymous().get('/api/invitations/not-a-token!')).status).toBe(400);
  });

  it('lets a room owner invite into their own room only, and nobody else without a room', async () => {
    const owner = await app.user('SH');
    const room = (await owner.post('/api/rooms', { name: 'AG Eigene' })).json.room;
    expect(
      (
        await owner.post('/api/invitations', {
          email: 'gast@dvz.example',
          organizationId: orgs.SH,
          roomId: room.id,
          role: 'viewer',
        })
      ).status,
    ).toBe(201);
    expect(
      (await owner.post('/api/invitations', { email: 'gast2@dvz.example', organizationId: orgs.DVZ })).status,
    ).toBe(403);
    const editor = await app.user('SH');
    await owner.put(`/api/rooms/${room.id}/members/${editor.id}`, { role: 'editor' });
    expect(
      (
        await editor.post('/api/invitations', {
          email: 'gast3@dvz.example',
          organizationId: orgs.DVZ,
          roomId: room.id,
          role: 'viewer',
        })
      ).status,
    ).toBe(403);
    const listed = (await app.admin.get('/api/invitations')).json.invitations.map((i: { email: string }) => i.email);
    expect(listed).toContain('gast@dvz.example');
    expect((await owner.get('/api/invitations')).status).toBe(403);
  });
});

describe('passwords', () => {
  it('changes the own password, keeping this session and ending the others', async () => {
    const user = await app.user('MV');
    const otherDevice = app.anonymous();
    await otherDevice.login(user.email, testPassword);
    const wrong = await user.post('/api/me/password', {
      currentPassword: 'falsch falsch',
      newPassword: 'ein neues Passwort',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.fields.currentPassword).toBeDefined();
    expect(
      (await user.post('/api/me/password', { currentPassword: testPassword, newPassword: 'ein neues Passwort' }))
        .status,
    ).toBe(204);
    expect((await user.get('/api/me')).status).toBe(200);
    expect((await otherDevice.get('/api/me')).status).toBe(401);
    await app.anonymous().login(user.email, 'ein neues Passwort');
  });

  it('resets a password through a one-time link from an admin', async () => {
    const user = await app.user('SH');
    const created = await app.admin.post(`/api/admin/users/${user.id}/password-reset`);
    expect(created.status).toBe(201);
    const token = tokenOf(created.json.link);
    expect((await app.anonymous().get(`/api/password-resets/${token}`)).json.email).toBe(user.email);
    expect(
      (await app.anonymous().post(`/api/password-resets/${token}`, { password: 'zurückgesetztes Passwort' })).status,
    ).toBe(204);
    expect((await user.get('/api/me')).status).toBe(401);
    await app.anonymous().login(user.email, 'zurückgesetztes Passwort');
    expect(
      (await app.anonymous().post(`/api/password-resets/${token}`, { password: 'noch ein Passwort!' })).status,
    ).toBe(404);
    expect((await user.post(`/api/admin/users/${user.id}/password-reset`)).status).toBe(401);
  });
});

describe('the own account and the directory', () => {
  it('persists the language per user', async () => {
    const user = await app.user('SH');
    expect((await user.get('/api/me')).json.user.locale).toBe('de');
    expect((await user.patch('/api/me', { locale: 'en' })).json.user.locale).toBe('en');
    expect((await user.get('/api/me')).json.user.locale).toBe('en');
    expect((await user.patch('/api/me', { locale: 'fr' })).status).toBe(400);
  });

  it('lets admins create and rename organisations', async () => {
    const created = await app.admin.post('/api/admin/organizations', {
      code: 'HH',
      name: 'Freie und Hansestadt Hamburg',
      kind: 'land',
    });
    expect(created.status).toBe(201);
    expect(
      (await app.admin.post('/api/admin/organizations', { code: 'HH', name: 'Doppelt', kind: 'land' })).status,
    ).toBe(409);
    expect(
      (await app.admin.post('/api/admin/organizations', { code: 'hh x', name: 'Klein', kind: 'land' })).status,
    ).toBe(400);
    const renamed = await app.admin.patch(`/api/admin/organizations/${created.json.organization.id}`, {
      name: 'Hamburg',
    });
    expect(renamed.json.organization).toMatchObject({ code: 'HH', name: 'Hamburg' });
    const user = await app.user('SH');
    expect((await user.post('/api/admin/organizations', { code: 'XX', name: 'X', kind: 'other' })).status).toBe(403);
  });

  it('lists recent documents only from rooms the user may see', async () => {
    const owner = await app.user('SH');
    const room = (await owner.post('/api/rooms', { name: 'AG Neu' })).json.room;
    await owner.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Sichtbar' });
    const stranger = await app.user('MV');
    const mine = (await owner.get('/api/documents/recent')).json.documents;
    expect(mine[0]).toMatchObject({ title: 'Sichtbar', roomName: 'AG Neu' });
    expect(
      (await stranger.get('/api/documents/recent')).json.documents.map((d: { title: string }) => d.title),
    ).not.toContain('Sichtbar');
  });

  it('answers /api/site publicly', async () => {
    expect((await app.anonymous().get('/api/site')).json).toEqual({ imprint: null, contactEmail: null });
  });
});
