import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, testPassword } from '../helpers/app.ts';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ loginLimits: { perAccount: 3, perAddress: 1000, windowSeconds: 60 } });
});
afterAll(() => app.close());

const sessionId = (cookie: string | undefined) => cookie?.split('=')[1]?.split('.')[0];

describe('login and logout', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and shows the user', async () => {
    const user = await app.user('SH', { name: 'Anke Sörensen' });
    const client = app.anonymous();
    const response = await client.post('/api/auth/login', { email: user.email, password: testPassword });
    expect(response.status).toBe(200);
    expect(response.json.user).toMatchObject({ email: user.email, name: 'Anke Sörensen', isAdmin: false });
    expect(response.json.user.organization.code).toBe('SH');
    expect(JSON.stringify(response.json)).not.toContain('password');
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('nordraum_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // the test origin is http
    const me = await client.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.json.user.id).toBe(user.id);
  });

  it('ends the session at logout', async () => {
    const user = await app.user('MV');
    const cookie = user.cookie;
    expect((await user.post('/api/auth/logout')).status).toBe(204);
    expect(user.cookie).toBeUndefined();
    const replay = app.anonymous();
    replay.cookie = cookie;
    expect((await replay.get('/api/me')).status).toBe(401);
  });

  it('issues a new token at every login, each stored only as a hash', async () => {
    const user = await app.user('SH');
    const first = user.cookie!;
    await user.login(user.email, testPassword);
    expect(user.cookie).not.toBe(first);
    const rows = await app.database.db.execute(sql`select id, secret_hash from session`);
    const secret = user.cookie!.split('.')[1]!;
    for (const row of rows.rows) expect(JSON.stringify(row)).not.toContain(secret);
    expect(rows.rows.some((row) => row.id === sessionId(user.cookie))).toBe(true);
  });

  it('answers a wrong password and an unknown account the same way', async () => {
    const user = await app.user('SH');
    const wrong = await app.anonymous().post('/api/auth/login', { email: user.email, password: 'not the password!' });
    const unknown = await app
      .anonymous()
      .post('/api/auth/login', { email: 'nobody@sh.example', password: 'not the password!' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json).toEqual(unknown.json);
    expect(wrong.json.error.code).toBe('invalid_credentials');
  });

  it('refuses a forged or malformed token', async () => {
    const user = await app.user('SH');
    const forged = app.anonymous();
    forged.cookie = `nordraum_session=${sessionId(user.cookie)}.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`;
    expect((await forged.get('/api/me')).status).toBe(401);
    forged.cookie = 'nordraum_session=garbage';
    expect((await forged.get('/api/me')).status).toBe(401);
  });
});

describe('expiry and renewal', () => {
  it('refuses an expired session', async () => {
    const user = await app.user('SH');
    await app.database.db.execute(
      sql`update session set expires_at = now() - interval '1 minute' where id = ${sessionId(user.cookie)}`,
    );
    expect((await user.get('/api/me')).status).toBe(401);
  });

  it('extends a session used in the second half of its life and sends the cookie again', async () => {
    const user = await app.user('MV');
    await app.database.db.execute(
      sql`update session set expires_at = now() + interval '10 days' where id = ${sessionId(user.cookie)}`,
    );
    const response = await user.get('/api/me');
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie().some((line) => line.startsWith('nordraum_session='))).toBe(true);
    const { rows } = await app.database.db.execute(
      sql`select extract(epoch from expires_at - now()) / 86400 as days from session where id = ${sessionId(user.cookie)}`,
    );
    expect(Number(rows[0]!.days)).toBeGreaterThan(29);
  });

  it('does not touch a session in the first half of its life', async () => {
    const user = await app.user('MV');
    const response = await user.get('/api/me');
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});

describe('rate limiting', () => {
  it('answers 429 with Retry-After after repeated failures, even for the right password', async () => {
    const user = await app.user('SH');
    const attacker = app.anonymous();
    for (let i = 0; i < 3; i += 1) {
      expect(
        (await attacker.post('/api/auth/login', { email: user.email, password: `guess number ${i}` })).status,
      ).toBe(401);
    }
    const blocked = await attacker.post('/api/auth/login', { email: user.email, password: testPassword });
    expect(blocked.status).toBe(429);
    expect(blocked.json.error.code).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });

  it('lifts the block when the window has passed: no permanent lockout', async () => {
    const user = await app.user('SH');
    for (let i = 0; i < 3; i += 1)
      await app.anonymous().post('/api/auth/login', { email: user.email, password: `guess ${i} wrong` });
    expect((await app.anonymous().post('/api/auth/login', { email: user.email, password: testPassword })).status).toBe(
      429,
    );
    await app.database.db.execute(sql`update rate_limit set window_start = now() - interval '2 minutes'`);
    expect((await app.anonymous().post('/api/auth/login', { email: user.email, password: testPassword })).status).toBe(
      200,
    );
  });

  it('limits unknown accounts like known ones', async () => {
    const attacker = app.anonymous();
    for (let i = 0; i < 3; i += 1)
      await attacker.post('/api/auth/login', { email: 'ghost@mv.example', password: `guess ${i} wrong` });
    expect(
      (await attacker.post('/api/auth/login', { email: 'ghost@mv.example', password: 'another guess!' })).status,
    ).toBe(429);
  });
});

describe('disabling a user', () => {
  it('ends all of their sessions at once and refuses new logins', async () => {
    const user = await app.user('MV');
    const secondDevice = app.anonymous();
    await secondDevice.login(user.email, testPassword);
    const response = await app.admin.patch(`/api/admin/users/${user.id}`, { disabled: true });
    expect(response.status).toBe(200);
    expect(response.json.user.disabled).toBe(true);
    expect((await user.get('/api/me')).status).toBe(401);
    expect((await secondDevice.get('/api/rooms')).status).toBe(401);
    const again = await app.anonymous().post('/api/auth/login', { email: user.email, password: testPassword });
    expect(again.status).toBe(401);
    expect(again.json.error.code).toBe('invalid_credentials');
  });

  it('does not let an admin disable themselves', async () => {
    const admin = await app.user('SH', { isAdmin: true });
    expect((await admin.patch(`/api/admin/users/${admin.id}`, { disabled: true })).status).toBe(409);
  });
});
