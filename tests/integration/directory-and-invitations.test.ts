// Who a signed-in user can find (GET /api/users) and whom a room owner can invite, see and withdraw.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';

let app: TestApp;
let orgs: Record<string, string>;
beforeAll(async () => {
  app = await startTestApp();
  const { organizations } = (await app.admin.get('/api/organizations')).json;
  orgs = Object.fromEntries(organizations.map((o: { code: string; id: string }) => [o.code, o.id]));
});
afterAll(() => app.close());

type Listed = { id: string; name: string; email?: string };
const ids = (users: Listed[]) => users.map((user) => user.id);

describe('GET /api/users', () => {
  it('shows a member the people they share a room with, without e-mail addresses', async () => {
    const owner = await app.user('SH', { name: 'Frauke Feddersen' });
    const colleague = await app.user('MV', { name: 'Mats Mahnke' });
    const stranger = await app.user('MV', { name: 'Svea Stranger' });
    const room = (await owner.post('/api/rooms', { name: 'AG Verzeichnis' })).json.room;
    await owner.put(`/api/rooms/${room.id}/members/${colleague.id}`, { role: 'viewer' });

    const listed = (await colleague.get('/api/users')).json.users as Listed[];
    expect(ids(listed)).toEqual(expect.arrayContaining([owner.id, colleague.id]));
    expect(ids(listed)).not.toContain(stranger.id);
    expect(ids(listed)).not.toContain(app.admin.id);
    for (const user of listed) expect(user).not.toHaveProperty('email');
    expect(JSON.stringify(listed)).not.toContain('@');
  });

  it('finds anyone by two or more letters of the name, still without e-mail', async () => {
    const searcher = await app.user('SH');
    const wanted = await app.user('DVZ', { name: 'Quirin Quast' });
    const found = (await searcher.get('/api/users?q=quirin')).json.users as Listed[];
    expect(ids(found)).toEqual([wanted.id]);
    expect(found[0]).not.toHaveProperty('email');
    expect(found[0]).toMatchObject({ name: 'Quirin Quast', organization: { code: 'DVZ' } });
    // Searching by e-mail address would let anyone probe for addresses.
    expect((await searcher.get(`/api/users?q=${encodeURIComponent(wanted.email)}`)).json.users).toEqual([]);
    const short = await searcher.get('/api/users?q=Q');
    expect(short.status).toBe(400);
    expect(short.json.error.fields.q).toBeDefined();
  });

  it('gives administrators everyone with e-mail addresses', async () => {
    const someone = await app.user('MV');
    const listed = (await app.admin.get('/api/users')).json.users as Listed[];
    expect(listed.find((user) => user.id === someone.id)?.email).toBe(someone.email);
  });
});

describe('invitations by room owners', () => {
  async function ownedRoom(code = 'SH') {
    const owner = await app.user(code);
    const room = (await owner.post('/api/rooms', { name: `AG Einladung ${code}` })).json.room;
    return { owner, room };
  }

  it('allows their own room and organisation only; another organisation needs an admin', async () => {
    const { owner, room } = await ownedRoom();
    const invite = (email: string, organizationId: string, role = 'editor') =>
      owner.post('/api/invitations', { email, organizationId, roomId: room.id, role });
    expect((await invite('neu1@sh.example', orgs.SH!)).status).toBe(201);
    expect((await invite('neu2@sh.example', orgs.SH!, 'owner')).status).toBe(201);
    const foreign = await invite('neu3@mv.example', orgs.MV!, 'owner');
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.fields.organizationId).toBeDefined();
    const { room: other } = await ownedRoom('MV');
    expect(
      (
        await owner.post('/api/invitations', {
          email: 'neu4@sh.example',
          organizationId: orgs.SH,
          roomId: other.id,
          role: 'viewer',
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await app.admin.post('/api/invitations', {
          email: 'neu5@mv.example',
          organizationId: orgs.MV,
          roomId: room.id,
          role: 'owner',
        })
      ).status,
    ).toBe(201);
  });

  it('lets owners see and withdraw the invitations of their room, and nobody else', async () => {
    const { owner, room } = await ownedRoom();
    const created = await owner.post('/api/invitations', {
      email: 'offen@sh.example',
      organizationId: orgs.SH,
      roomId: room.id,
      role: 'viewer',
    });
    const listed = await owner.get(`/api/rooms/${room.id}/invitations`);
    expect(listed.status).toBe(200);
    expect(listed.json.invitations).toEqual([
      expect.objectContaining({
        id: created.json.invitation.id,
        email: 'offen@sh.example',
        role: 'viewer',
        organization: expect.objectContaining({ code: 'SH' }),
      }),
    ]);
    const editor = await app.user('SH');
    await owner.put(`/api/rooms/${room.id}/members/${editor.id}`, { role: 'editor' });
    expect((await editor.get(`/api/rooms/${room.id}/invitations`)).status).toBe(403);
    expect((await editor.delete(`/api/invitations/${created.json.invitation.id}`)).status).toBe(403);
    const { owner: otherOwner } = await ownedRoom();
    expect((await otherOwner.delete(`/api/invitations/${created.json.invitation.id}`)).status).toBe(404);

    expect((await owner.delete(`/api/invitations/${created.json.invitation.id}`)).status).toBe(204);
    expect((await owner.get(`/api/rooms/${room.id}/invitations`)).json.invitations).toEqual([]);
    const token = created.json.invitation.link.split('/').at(-1);
    expect((await app.anonymous().get(`/api/invitations/${token}`)).status).toBe(404);
  });

  it('shows the person invited the organisation and role the link grants', async () => {
    const { owner, room } = await ownedRoom('MV');
    const created = await owner.post('/api/invitations', {
      email: 'gast@mv.example',
      organizationId: orgs.MV,
      roomId: room.id,
      role: 'commenter',
    });
    const token = created.json.invitation.link.split('/').at(-1);
    const preview = (await app.anonymous().get(`/api/invitations/${token}`)).json.invitation;
    expect(preview).toMatchObject({ role: 'commenter', organization: { code: 'MV' }, room: { id: room.id } });
  });
});
