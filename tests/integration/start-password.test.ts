import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';
import { tryUpgrade } from '../helpers/sync.ts';

let app: TestApp;
let orgs: Record<string, string>;
beforeAll(async () => {
  app = await startTestApp({ sync: {} });
  orgs = Object.fromEntries(
    (await app.admin.get('/api/organizations')).json.organizations.map((o: { code: string; id: string }) => [
      o.code,
      o.id,
    ]),
  );
});
afterAll(() => app.close());

const startPassword = 'Startpasswort vom Admin 2026';
const ownPassword = 'Mein eigenes Passwort 2026';
let counter = 0;

/** An account an administrator created with a start password, and that person logged in. */
async function personWithStartPassword() {
  counter += 1;
  const email = `start${counter}@sh.example`;
  const created = await app.admin.post('/api/admin/users', {
    email,
    name: 'Svenja Sörensen',
    organizationId: orgs.SH,
    password: startPassword,
  });
  expect(created.status).toBe(201);
  expect(created.json.user.mustChangePassword).toBe(true);
  const person = new ApiClient(app.url);
  const login = await person.request('POST', '/api/auth/login', { email, password: startPassword });
  expect(login.status).toBe(200);
  return { person, email, login };
}

describe('a start password chosen by an administrator', () => {
  it('is reported at login and by /api/me', async () => {
    const { person, login } = await personWithStartPassword();
    expect(login.json.user.mustChangePassword).toBe(true);
    expect((await person.get('/api/me')).json.user.mustChangePassword).toBe(true);
  });

  it('refuses everything but changing it and logging out, with password_change_required', async () => {
    const { person } = await personWithStartPassword();
    const room = (await app.admin.post('/api/rooms', { name: 'AG Startpasswort' })).json.room;
    const document = (await app.admin.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Protokoll' }))
      .json.document;
    for (const [method, path, body] of [
      ['GET', '/api/rooms'],
      ['POST', '/api/rooms', { name: 'Eigener Raum' }],
      ['GET', '/api/organizations'],
      ['PATCH', '/api/me', { name: 'Jemand anderes' }],
      ['GET', `/api/documents/${document.id}/state`],
    ] as const) {
      const response = await person.request(method, path, body);
      expect([method, path, response.status, response.json?.error?.code]).toEqual([
        method,
        path,
        403,
        'password_change_required',
      ]);
    }
    const upgrade = await tryUpgrade(`${app.url.replace(/^http/, 'ws')}/sync/${document.id}`, {
      origin: app.origin,
      cookie: person.cookie!,
    });
    expect(upgrade).toEqual({ status: 403 });
    expect((await person.post('/api/auth/logout')).status).toBe(204);
  });

  it('is not accepted as the person’s own password', async () => {
    const { person } = await personWithStartPassword();
    const same = await person.post('/api/me/password', { currentPassword: startPassword, newPassword: startPassword });
    expect([same.status, same.json.error.fields]).toEqual([400, { newPassword: 'same as the start password' }]);
    expect((await person.get('/api/rooms')).json.error.code).toBe('password_change_required');
  });

  it('lifts every restriction once the person set their own password, which then is the one that counts', async () => {
    const { person, email } = await personWithStartPassword();
    const changed = await person.post('/api/me/password', { currentPassword: startPassword, newPassword: ownPassword });
    expect(changed.status).toBe(204);
    expect((await person.get('/api/me')).json.user.mustChangePassword).toBe(false);
    expect((await person.get('/api/rooms')).status).toBe(200);
    const again = new ApiClient(app.url);
    expect((await again.request('POST', '/api/auth/login', { email, password: startPassword })).status).toBe(401);
    const login = await again.request('POST', '/api/auth/login', { email, password: ownPassword });
    expect([login.status, login.json.user.mustChangePassword]).toEqual([200, false]);
  });

  it('does not touch people who chose their own password (here: the administrator)', async () => {
    expect((await app.admin.get('/api/me')).json.user.mustChangePassword).toBe(false);
    expect((await app.admin.get('/api/rooms')).status).toBe(200);
  });
});
