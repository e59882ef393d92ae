import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const hostile = [
  "Robert'); DROP TABLE room;--",
  '<script>alert("x")</script><img src=x onerror=alert(1)>',
  'Ärger über Öffnungszeiten – „Straße“ ß',
  '👩🏽‍💻 Zusammenarbeit 🤝 SH ⇄ MV',
  'עברית العربية mixed RTL',
  'e\u0301 combining and \u200b zero width',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection attempt, on purpose
  '%s %n {{7*7}} ${7*7}',
];

describe('hostile but legal strings', () => {
  for (const name of hostile) {
    it(`stores and returns ${JSON.stringify(name).slice(0, 40)} verbatim`, async () => {
      const created = await app.admin.post('/api/rooms', { name, description: name });
      expect(created.status).toBe(201);
      const fetched = await app.admin.get(`/api/rooms/${created.json.room.id}`);
      expect(fetched.json.room.name).toBe(name);
      expect(fetched.json.room.description).toBe(name);
      expect(fetched.headers.get('content-type')).toMatch(/application\/json/);
    });
  }

  it('still has its tables after the injection attempt', async () => {
    const { rows } = await app.database.db.execute(sql`select count(*)::int as n from room`);
    expect(rows[0]!.n).toBeGreaterThan(0);
  });
});

describe('refused input', () => {
  it('refuses a 10 kB name with 400 and names the field', async () => {
    const response = await app.admin.post('/api/rooms', { name: 'x'.repeat(10_000) });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('validation_failed');
    expect(Object.keys(response.json.error.fields)).toEqual(['name']);
  });

  it('refuses NUL characters, which PostgreSQL cannot store, with 400 instead of 500', async () => {
    const response = await app.admin.post('/api/rooms', { name: 'a\u0000b' });
    expect(response.status).toBe(400);
    expect(response.json.error.fields.name).toBeDefined();
  });

  it('refuses a blank name', async () => {
    expect((await app.admin.post('/api/rooms', { name: '   ' })).status).toBe(400);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await app.admin.request('POST', '/api/rooms', '{"name": "unterminated', {
      'content-type': 'application/json',
    });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('invalid_json');
  });

  it('refuses form content types: mutating requests are JSON only', async () => {
    const response = await app.admin.request('POST', '/api/rooms', 'name=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(415);
  });

  it('refuses a form post from a foreign origin with 403', async () => {
    const response = await app.admin.request('POST', '/api/rooms', 'name=x', {
      'content-type': 'application/x-www-form-urlencoded',
      origin: 'https://evil.example',
    });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('forbidden');
  });

  it('refuses JSON from a foreign origin with 403 and accepts our own', async () => {
    const foreign = await app.admin.request('POST', '/api/rooms', { name: 'x' }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const own = await app.admin.request('POST', '/api/rooms', { name: 'Eigener Raum' }, { origin: app.origin });
    expect(own.status).toBe(201);
  });

  it('answers a taken e-mail address with 409', async () => {
    const org = (await app.admin.get('/api/organizations')).json.organizations[0];
    const body = {
      email: 'Doppelt@SH.example',
      name: 'Erste',
      organizationId: org.id,
      password: 'long enough password',
    };
    expect((await app.admin.post('/api/admin/users', body)).status).toBe(201);
    const again = await app.admin.post('/api/admin/users', { ...body, email: 'doppelt@sh.example' });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('email_taken');
  });

  it('checks password length: 12 to 128 characters, never truncated', async () => {
    const org = (await app.admin.get('/api/organizations')).json.organizations[0];
    const body = { email: 'kurz@sh.example', name: 'Kurz', organizationId: org.id };
    expect(
      (await app.admin.post('/api/admin/users', { ...body, password: 'elf zeichen' })).json.error.fields.password,
    ).toBeDefined();
    expect((await app.admin.post('/api/admin/users', { ...body, password: 'x'.repeat(129) })).status).toBe(400);
    const long = `${'ä'.repeat(127)}Z`;
    expect((await app.admin.post('/api/admin/users', { ...body, password: long })).status).toBe(201);
    const client = app.anonymous();
    expect((await client.post('/api/auth/login', { email: body.email, password: long })).status).toBe(200);
    expect((await client.post('/api/auth/login', { email: body.email, password: long.slice(0, -1) })).status).toBe(401);
  });

  it('answers bad ids and unknown routes with 400 and 404 in the error shape, never a stack trace', async () => {
    const bad = await app.admin.get('/api/rooms/not-a-uuid');
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields.roomId).toBeDefined();
    const missing = await app.admin.get('/api/rooms/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    const unknown = await app.admin.get('/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('not_found');
    for (const response of [bad, missing, unknown]) expect(response.text).not.toMatch(/\bat .+\.ts:\d+/);
  });
});

describe('the OpenAPI document', () => {
  it('describes the public routes from the validating schemas', async () => {
    const response = await app.anonymous().get('/api/openapi.json');
    expect(response.status).toBe(200);
    const paths = Object.keys(response.json.paths);
    for (const path of [
      '/auth/login',
      '/auth/logout',
      '/me',
      '/organizations',
      '/admin/users',
      '/rooms',
      '/rooms/{roomId}/members/{userId}',
      '/rooms/{roomId}/grants/{organizationId}',
      '/rooms/{roomId}/documents',
      '/admin/audit',
    ]) {
      expect(paths).toContain(path);
    }
    const login = response.json.paths['/auth/login'].post;
    expect(JSON.stringify(login.requestBody)).toContain('password');
  });
});
