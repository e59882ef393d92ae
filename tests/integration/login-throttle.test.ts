// Brute force stays slow, but nobody can lock a colleague out: a known device or an address that
// has not failed still gets in with the right password. Addresses come from X-Forwarded-For, which
// the test app believes because it trusts 127.0.0.1 as its proxy (TRUST_PROXY).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, startTestApp, type TestApp, testPassword } from '../helpers/app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ trustProxy: ['127.0.0.1'] });
});
afterAll(() => app.close());

/** Logs in from `address`, sending `device` as the device cookie; returns the answer and any new device cookie. */
async function loginFrom(client: ApiClient, address: string, email: string, password: string, device?: string) {
  const response = await client.request(
    'POST',
    '/api/auth/login',
    { email, password },
    { 'x-forwarded-for': address, ...(device ? { cookie: device } : {}) },
  );
  const setDevice = response.headers
    .getSetCookie()
    .find((line) => line.startsWith('nordraum_device='))
    ?.split(';')[0];
  return { ...response, device: setDevice };
}

describe('an attacker guessing one account', () => {
  it('is slowed down, while the owner still gets in from a known device and from a fresh address', async () => {
    const victim = await app.user('SH');
    const known = await loginFrom(app.anonymous(), '192.0.2.10', victim.email, testPassword);
    expect(known.status).toBe(200);
    expect(known.device).toBeDefined();

    const attacker = app.anonymous();
    const answers: number[] = [];
    for (let i = 0; i < 100; i += 1) {
      answers.push((await loginFrom(attacker, '198.51.100.66', victim.email, `guess number ${i}`)).status);
    }
    // Five wrong passwords are checked, then the attacker has to wait: the rest are not even tried.
    expect(answers.filter((status) => status === 401)).toHaveLength(5);
    expect(answers.filter((status) => status === 429)).toHaveLength(95);
    const refused = await loginFrom(attacker, '198.51.100.66', victim.email, testPassword);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    // The owner's own computer, even on the attacker's network:
    expect((await loginFrom(app.anonymous(), '198.51.100.66', victim.email, testPassword, known.device)).status).toBe(
      200,
    );
    // A fresh address without the device cookie:
    expect((await loginFrom(app.anonymous(), '192.0.2.99', victim.email, testPassword)).status).toBe(200);
  });

  it('keeps colleagues behind a busy address in when their devices are known', async () => {
    const colleague = await app.user('MV');
    const device = (await loginFrom(app.anonymous(), '203.0.113.20', colleague.email, testPassword)).device;
    for (let i = 0; i < 60; i += 1)
      await loginFrom(app.anonymous(), '203.0.113.20', `someone${i}@mv.example`, 'a wrong guess!');
    expect((await loginFrom(app.anonymous(), '203.0.113.20', colleague.email, testPassword)).status).toBe(429);
    expect((await loginFrom(app.anonymous(), '203.0.113.20', colleague.email, testPassword, device)).status).toBe(200);
  });

  it('does not accept a device cookie issued for another account', async () => {
    const owner = await app.user('SH');
    const other = await app.user('SH');
    const device = (await loginFrom(app.anonymous(), '192.0.2.30', other.email, testPassword)).device;
    for (let i = 0; i < 6; i += 1) await loginFrom(app.anonymous(), '198.51.100.30', owner.email, `guess ${i} here`);
    expect((await loginFrom(app.anonymous(), '198.51.100.30', owner.email, testPassword, device)).status).toBe(429);
  });
});

describe('changing the password', () => {
  it('limits wrong current passwords like logins', async () => {
    const user = await app.user('MV');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      statuses.push(
        (await user.post('/api/me/password', { currentPassword: `guess ${i} here`, newPassword: 'ein neues Passwort' }))
          .status,
      );
    }
    expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const right = await user.post('/api/me/password', {
      currentPassword: testPassword,
      newPassword: 'ein neues Passwort',
    });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('TRUST_PROXY', () => {
  const lastFailedLoginAddress = async (target: TestApp, email: string) => {
    const { rows } = await target.database.db.execute(
      sql`select ip from audit_log where action = 'auth.login_failed' and actor_email = ${email} order by id desc limit 1`,
    );
    return rows[0]?.ip;
  };

  it('honours X-Forwarded-For from a trusted proxy', async () => {
    await loginFrom(app.anonymous(), '192.0.2.77', 'probe@sh.example', 'a wrong guess!');
    expect(await lastFailedLoginAddress(app, 'probe@sh.example')).toBe('192.0.2.77');
  });

  it('ignores X-Forwarded-For from anyone else', async () => {
    const direct = await startTestApp();
    try {
      await loginFrom(direct.anonymous(), '192.0.2.77', 'probe@sh.example', 'a wrong guess!');
      expect(await lastFailedLoginAddress(direct, 'probe@sh.example')).toBe('127.0.0.1');
    } finally {
      await direct.close();
    }
  });
});
