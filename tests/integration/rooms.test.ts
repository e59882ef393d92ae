import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

type Who = 'owner' | 'editor' | 'commenter' | 'viewer' | 'outsider' | 'admin';
const everyone: Who[] = ['owner', 'editor', 'commenter', 'viewer', 'outsider', 'admin'];

/** A room with one user per role, an outsider from MV, the admin, and one document. */
async function roomWithEveryRole() {
  const owner = await app.user('SH', { name: 'Owner' });
  const room = (await owner.post('/api/rooms', { name: 'AG IT-Resilienz' })).json.room;
  const clients: Record<Who, ApiClient & { id?: string }> = { owner, admin: app.admin } as never;
  for (const role of ['editor', 'commenter', 'viewer'] as const) {
    const user = await app.user('SH', { name: role });
    expect((await owner.put(`/api/rooms/${room.id}/members/${user.id}`, { role })).status).toBe(200);
    clients[role] = user;
  }
  clients.outsider = await app.user('MV', { name: 'Outsider' });
  const document = (await owner.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Protokoll' })).json
    .document;
  return { room, document, clients };
}

// Expected status per caller, written out so a change in the rules shows as a diff here.
const matrix: {
  name: string;
  expected: Record<Who, number>;
  call: (c: ApiClient, ids: { room: string; doc: string; subject: string; org: string }) => Promise<{ status: number }>;
}[] = [
  {
    name: 'GET room',
    expected: { owner: 200, editor: 200, commenter: 200, viewer: 200, outsider: 404, admin: 200 },
    call: (c, i) => c.get(`/api/rooms/${i.room}`),
  },
  {
    name: 'PATCH room',
    expected: { owner: 200, editor: 403, commenter: 403, viewer: 403, outsider: 404, admin: 200 },
    call: (c, i) => c.patch(`/api/rooms/${i.room}`, { description: 'Neu' }),
  },
  {
    name: 'GET members',
    expected: { owner: 200, editor: 200, commenter: 200, viewer: 200, outsider: 404, admin: 200 },
    call: (c, i) => c.get(`/api/rooms/${i.room}/members`),
  },
  {
    name: 'PUT member',
    expected: { owner: 200, editor: 403, commenter: 403, viewer: 403, outsider: 404, admin: 200 },
    call: (c, i) => c.put(`/api/rooms/${i.room}/members/${i.subject}`, { role: 'viewer' }),
  },
  {
    name: 'PUT grant',
    expected: { owner: 403, editor: 403, commenter: 403, viewer: 403, outsider: 404, admin: 200 },
    call: (c, i) => c.put(`/api/rooms/${i.room}/grants/${i.org}`, { role: 'viewer' }),
  },
  {
    name: 'GET documents',
    expected: { owner: 200, editor: 200, commenter: 200, viewer: 200, outsider: 404, admin: 200 },
    call: (c, i) => c.get(`/api/rooms/${i.room}/documents`),
  },
  {
    name: 'POST document',
    expected: { owner: 201, editor: 201, commenter: 403, viewer: 403, outsider: 404, admin: 403 },
    call: (c, i) => c.post(`/api/rooms/${i.room}/documents`, { kind: 'actions', title: 'Maßnahmen' }),
  },
  {
    name: 'GET document',
    expected: { owner: 200, editor: 200, commenter: 200, viewer: 200, outsider: 404, admin: 200 },
    call: (c, i) => c.get(`/api/documents/${i.doc}`),
  },
  {
    name: 'rename document',
    expected: { owner: 200, editor: 200, commenter: 403, viewer: 403, outsider: 404, admin: 403 },
    call: (c, i) => c.patch(`/api/documents/${i.doc}`, { title: 'Protokoll 2' }),
  },
  {
    name: 'archive document',
    expected: { owner: 200, editor: 200, commenter: 403, viewer: 403, outsider: 404, admin: 403 },
    call: (c, i) => c.patch(`/api/documents/${i.doc}`, { archived: false }),
  },
];

describe('the role matrix through the HTTP API', () => {
  for (const row of matrix) {
    for (const who of everyone) {
      it(`${row.name} as ${who} answers ${row.expected[who]}`, async () => {
        const { room, document, clients } = await roomWithEveryRole();
        const subject = await app.user('SH');
        const mv = (await app.admin.get('/api/organizations')).json.organizations.find(
          (o: { code: string }) => o.code === 'MV',
        );
        const response = await row.call(clients[who], {
          room: room.id,
          doc: document.id,
          subject: subject.id,
          org: mv.id,
        });
        expect(response.status).toBe(row.expected[who]);
      });
    }
  }
});

describe('cross-state access', () => {
  it('lets an MV user into an SH room only through a grant or a membership', async () => {
    const owner = await app.user('SH');
    const room = (await owner.post('/api/rooms', { name: 'AG Registermodernisierung' })).json.room;
    const document = (await owner.post(`/api/rooms/${room.id}/documents`, { kind: 'roadmap', title: 'Roadmap 2027' }))
      .json.document;
    const mvUser = await app.user('MV');
    const mv = (await mvUser.get('/api/organizations')).json.organizations.find(
      (o: { code: string }) => o.code === 'MV',
    );

    expect((await mvUser.get('/api/rooms')).json.rooms.map((r: { id: string }) => r.id)).not.toContain(room.id);
    expect((await mvUser.get(`/api/rooms/${room.id}`)).status).toBe(404);
    expect((await mvUser.get(`/api/documents/${document.id}`)).status).toBe(404);

    expect((await app.admin.put(`/api/rooms/${room.id}/grants/${mv.id}`, { role: 'commenter' })).status).toBe(200);
    const listed = (await mvUser.get('/api/rooms')).json.rooms.find((r: { id: string }) => r.id === room.id);
    expect(listed.role).toBe('commenter');
    expect(listed.organizations.map((o: { code: string }) => o.code)).toEqual(['MV', 'SH']);
    const seen = await mvUser.get(`/api/documents/${document.id}`);
    expect(seen.status).toBe(200);
    // The document page needs no second request for the room: its name and the caller's role.
    expect(seen.json.room).toEqual({ id: room.id, name: 'AG Registermodernisierung', role: 'commenter' });
    expect((await mvUser.patch(`/api/documents/${document.id}`, { title: 'x' })).status).toBe(403);

    expect((await app.admin.delete(`/api/rooms/${room.id}/grants/${mv.id}`)).status).toBe(204);
    expect((await mvUser.get(`/api/rooms/${room.id}`)).status).toBe(404);

    expect((await owner.put(`/api/rooms/${room.id}/members/${mvUser.id}`, { role: 'editor' })).status).toBe(200);
    expect((await mvUser.get(`/api/rooms/${room.id}`)).json.room.role).toBe('editor');
    expect((await owner.delete(`/api/rooms/${room.id}/members/${mvUser.id}`)).status).toBe(204);
    expect((await mvUser.get(`/api/rooms/${room.id}`)).status).toBe(404);
  });

  it('takes the stronger of membership and grant', async () => {
    const owner = await app.user('SH');
    const room = (await owner.post('/api/rooms', { name: 'AG KI' })).json.room;
    const mvUser = await app.user('MV');
    const mv = (await mvUser.get('/api/organizations')).json.organizations.find(
      (o: { code: string }) => o.code === 'MV',
    );
    await app.admin.put(`/api/rooms/${room.id}/grants/${mv.id}`, { role: 'editor' });
    await owner.put(`/api/rooms/${room.id}/members/${mvUser.id}`, { role: 'viewer' });
    expect((await mvUser.get(`/api/rooms/${room.id}`)).json.room.role).toBe('editor');
  });
});

describe('members of a room', () => {
  it("shows members' e-mail addresses only to owners and administrators", async () => {
    const owner = await app.user('SH');
    const room = (await owner.post('/api/rooms', { name: 'AG Open Source' })).json.room;
    const colleague = await app.user('MV');
    await owner.put(`/api/rooms/${room.id}/members/${colleague.id}`, { role: 'editor' });
    const emails = async (client: typeof owner) =>
      (
        (await client.get(`/api/rooms/${room.id}/members`)).json.members as { user: { name: string; email?: string } }[]
      ).map((member) => [member.user.name !== '', member.user.email ?? null]);
    expect((await emails(owner)).every(([, email]) => typeof email === 'string' && email.includes('@'))).toBe(true);
    expect((await emails(app.admin)).every(([, email]) => typeof email === 'string')).toBe(true);
    expect(await emails(colleague)).toEqual([
      [true, null],
      [true, null],
    ]);
  });
});

describe('room administration', () => {
  it('keeps at least one owner', async () => {
    const owner = await app.user('SH');
    const room = (await owner.post('/api/rooms', { name: 'AG Data Fabric' })).json.room;
    expect((await owner.put(`/api/rooms/${room.id}/members/${owner.id}`, { role: 'editor' })).status).toBe(409);
    expect((await owner.delete(`/api/rooms/${room.id}/members/${owner.id}`)).status).toBe(409);
  });

  it('shows admins every room, ordinary users only theirs', async () => {
    const owner = await app.user('SH');
    const room = (await owner.post('/api/rooms', { name: 'Nur für SH' })).json.room;
    const stranger = await app.user('SH');
    expect((await app.admin.get('/api/rooms')).json.rooms.map((r: { id: string }) => r.id)).toContain(room.id);
    expect((await stranger.get('/api/rooms')).json.rooms.map((r: { id: string }) => r.id)).not.toContain(room.id);
  });

  it('lists, renames and archives documents', async () => {
    const editor = await app.user('MV');
    const room = (await editor.post('/api/rooms', { name: 'AG Open Source' })).json.room;
    const created = await editor.post(`/api/rooms/${room.id}/documents`, { kind: 'actions', title: 'Maßnahmenliste' });
    expect(created.status).toBe(201);
    expect(created.json.document).toMatchObject({
      kind: 'actions',
      title: 'Maßnahmenliste',
      roomId: room.id,
      archived: false,
    });
    const id = created.json.document.id;
    expect((await editor.patch(`/api/documents/${id}`, { title: 'Maßnahmen 2027' })).json.document.title).toBe(
      'Maßnahmen 2027',
    );
    expect((await editor.patch(`/api/documents/${id}`, { archived: true })).json.document.archived).toBe(true);
    expect((await editor.get(`/api/rooms/${room.id}/documents`)).json.documents).toEqual([]);
    const archived = (await editor.get(`/api/rooms/${room.id}/documents?archived=true`)).json.documents;
    expect(archived.map((d: { id: string }) => d.id)).toEqual([id]);
    expect((await editor.post(`/api/rooms/${room.id}/documents`, { kind: 'spreadsheet', title: 'x' })).status).toBe(
      400,
    );
  });

  it('answers 401 without a session on every route', async () => {
    const anonymous = app.anonymous();
    for (const path of [
      '/api/me',
      '/api/rooms',
      '/api/organizations',
      '/api/users',
      '/api/admin/users',
      '/api/admin/audit',
    ]) {
      expect((await anonymous.get(path)).status, path).toBe(401);
    }
  });

  it('keeps non-admins out of the admin routes', async () => {
    const user = await app.user('SH');
    expect((await user.get('/api/admin/users')).status).toBe(403);
    expect((await user.get('/api/admin/audit')).status).toBe(403);
    const org = (await user.get('/api/organizations')).json.organizations[0];
    expect(
      (
        await user.post('/api/admin/users', {
          email: 'x@y.de',
          name: 'X',
          organizationId: org.id,
          password: 'a long enough password',
        })
      ).status,
    ).toBe(403);
  });
});
