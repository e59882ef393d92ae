import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';
import { roomWithDocument, syncTarget } from '../helpers/rooms.ts';
import {
  closeOf,
  committedAfterMark,
  connectClient,
  eventually,
  openRaw,
  roundTrip,
  type SyncClient,
  type SyncTarget,
} from '../helpers/sync.ts';

let app: TestApp;
/** While set, answers of access re-checks wait for it (after their query ran). */
let holdAnswers: Promise<void> | undefined;
/** Told when an answer starts waiting for `holdAnswers`. */
let answerHeld: (() => void) | undefined;
beforeAll(async () => {
  app = await startTestApp({
    sync: {
      unloadDelayMs: 200,
      reauthorize: (check) => async (identity) => {
        const access = await check(identity);
        if (holdAnswers) answerHeld?.();
        await holdAnswers;
        return access;
      },
    },
  });
});
afterAll(() => app.close());

const as = (client: { cookie: string | undefined }): SyncTarget => syncTarget(app, client);
const textOf = (client: SyncClient) => client.doc.getText('text').toString();
const rejected = (reason: string) => Number(app.sync!.metrics.rejected.get(reason as never) ?? 0);

/** A room owned by the admin with one member of the given role, one document, and connected clients. */
async function setup(role: 'editor' | 'commenter' | 'viewer', organization = 'SH') {
  const {
    roomId,
    documentId,
    members: [member],
  } = await roomWithDocument(app, { room: 'AG Rollen', members: [{ organization, name: `Mitglied ${role}`, role }] });
  const owner = connectClient(as(app.admin), documentId);
  const other = connectClient(as(member), documentId);
  await Promise.all([owner.synced(), other.synced()]);
  return { roomId, documentId, member, owner, other };
}

describe('read-only roles on the socket', () => {
  for (const role of ['viewer', 'commenter'] as const) {
    it(`lets a ${role} read along but drops, and counts, what they send`, async () => {
      const { owner, other, documentId } = await setup(role);
      owner.doc.getText('text').insert(0, 'Vom Eigentümer');
      expect(await eventually(() => textOf(other) === 'Vom Eigentümer')).toBe(true);
      const before = rejected('read_only');
      other.doc.getText('text').insert(0, 'Heimlich ');
      expect(await eventually(() => rejected('read_only') > before)).toBe(true);
      // Handled (counted): had it been stored, it would be in what the server commits next.
      const stored = await committedAfterMark(as(app.admin), documentId, owner.doc);
      expect(stored.getText('text').toString()).toBe('Vom Eigentümer');
      expect(textOf(owner)).toBe('Vom Eigentümer');
      owner.destroy();
      other.destroy();
      const fresh = connectClient(as(app.admin), documentId);
      await fresh.synced();
      expect(await eventually(() => textOf(fresh) === 'Vom Eigentümer')).toBe(true);
      fresh.destroy();
    });
  }

  it('does not broadcast the awareness of a viewer', async () => {
    const { owner, other } = await setup('viewer');
    other.provider.awareness.setLocalStateField('user', { name: 'Zuschauer' });
    // The viewer's frame handled, then whatever the owner was sent because of it arrived.
    await roundTrip(other);
    await roundTrip(owner);
    expect([...owner.provider.awareness.getStates().keys()]).not.toContain(other.doc.clientID);
    owner.destroy();
    other.destroy();
  });
});

describe('revocation reaches open sockets within a second', () => {
  async function timeToClose(client: SyncClient, change: () => Promise<unknown>) {
    const started = Date.now();
    await change();
    const closed = await eventually(() => client.closes.length > 0, 1_000);
    return { closed, ms: Date.now() - started, code: client.closes[0]?.code };
  }

  it('closes with 4403 when the member is removed', async () => {
    const { roomId, member, owner, other } = await setup('editor');
    const result = await timeToClose(other, () => app.admin.delete(`/api/rooms/${roomId}/members/${member.id}`));
    expect(result).toMatchObject({ closed: true, code: 4403 });
    owner.destroy();
    other.destroy();
  });

  it('closes with 4401 when the user is disabled, and when they log out', async () => {
    const first = await setup('editor');
    const disabled = await timeToClose(first.other, () =>
      app.admin.patch(`/api/admin/users/${first.member.id}`, { disabled: true }),
    );
    expect(disabled).toMatchObject({ closed: true, code: 4401 });
    const second = await setup('editor');
    const loggedOut = await timeToClose(second.other, () => (second.member as ApiClient).post('/api/auth/logout'));
    expect(loggedOut).toMatchObject({ closed: true, code: 4401 });
    for (const client of [first.owner, first.other, second.owner, second.other]) client.destroy();
  });

  it('stops accepting edits within a second of a downgrade to viewer', async () => {
    const { roomId, documentId, member, owner, other } = await setup('editor');
    other.doc.getText('text').insert(0, 'vorher ');
    expect(await eventually(() => textOf(owner) === 'vorher ')).toBe(true);
    await app.admin.put(`/api/rooms/${roomId}/members/${member.id}`, { role: 'viewer' });
    await new Promise((done) => setTimeout(done, 1_000));
    const before = rejected('read_only');
    other.doc.getText('text').insert(0, 'nachher ');
    expect(await eventually(() => rejected('read_only') > before)).toBe(true);
    const stored = await committedAfterMark(as(app.admin), documentId, owner.doc);
    expect(stored.getText('text').toString()).toBe('vorher ');
    expect(textOf(owner)).toBe('vorher ');
    owner.destroy();
    other.destroy();
  });

  it('asks once for all tabs of one session, and all of them follow', async () => {
    const { roomId, documentId, member, owner, other } = await setup('editor');
    const tabs = [other, connectClient(as(member), documentId), connectClient(as(member), documentId)];
    await Promise.all(tabs.map((tab) => tab.synced()));
    const checks = app.sync!.metrics.accessChecks;
    await app.admin.put(`/api/rooms/${roomId}/members/${member.id}`, { role: 'viewer' });
    await new Promise((done) => setTimeout(done, 1_000));
    expect(app.sync!.metrics.accessChecks - checks).toBe(1);
    const before = rejected('read_only');
    for (const [n, tab] of tabs.entries()) tab.doc.getText('text').insert(0, `Tab ${n} `);
    expect(await eventually(() => rejected('read_only') === before + tabs.length)).toBe(true);
    const stored = await committedAfterMark(as(app.admin), documentId, owner.doc);
    expect(stored.getText('text').toString()).toBe('');
    expect(textOf(owner)).toBe('');
    for (const client of [owner, ...tabs]) client.destroy();
  });

  it('keeps a downgrade when an older check answers after it', async () => {
    const { roomId, documentId, member, owner, other } = await setup('editor');
    let release = () => {};
    holdAnswers = new Promise((done) => (release = done));
    const held = new Promise<void>((done) => (answerHeld = done));
    // A routine check asks first and still sees an editor; its answer is held back.
    const routine = app.sync!.accessChanged({ kind: 'all' });
    await held;
    answerHeld = undefined;
    holdAnswers = undefined;
    await app.admin.put(`/api/rooms/${roomId}/members/${member.id}`, { role: 'viewer' });
    // The downgrade takes effect within a second; an edit sent sooner may still be accepted. The
    // margin is for loaded CI machines: this test is about the order of answers, not the second.
    await new Promise((done) => setTimeout(done, 1_500));
    const before = rejected('read_only');
    other.doc.getText('text').insert(0, 'nach der Herabstufung ');
    expect(await eventually(() => rejected('read_only') > before)).toBe(true);
    // Now the older answer ("editor") arrives: it must not undo the downgrade.
    release();
    await routine;
    other.doc.getText('text').insert(0, 'noch einmal ');
    expect(await eventually(() => rejected('read_only') > before + 1)).toBe(true);
    const stored = await committedAfterMark(as(app.admin), documentId, owner.doc);
    expect(stored.getText('text').toString()).toBe('');
    expect(textOf(owner)).toBe('');
    owner.destroy();
    other.destroy();
  });

  it('reaches a socket whose upgrade was checked just before the change', async () => {
    const { roomId, documentId, member, owner, other } = await setup('editor');
    const sessionId = member.cookie!.split('=')[1]!.split('.')[0]!;
    const organization = (await member.get('/api/me')).json.user.organization;
    // The upgrade's check: an editor, at this access epoch. Then the member is removed, and only
    // after that does the socket connect (the moment the removal found no connection to check).
    const checkedAt = app.sync!.accessEpoch();
    await app.admin.delete(`/api/rooms/${roomId}/members/${member.id}`);
    expect(await eventually(() => app.sync!.accessEpoch() > checkedAt)).toBe(true);
    const closes: number[] = [];
    const late = app.sync!.connect(
      { send: () => {}, close: (code) => void closes.push(code) },
      {
        sessionId,
        userId: member.id,
        userName: 'Mitglied',
        organizationId: organization.id,
        organizationCode: organization.code,
        documentId,
        roomId,
        canWrite: true,
        checkedAt,
      },
    );
    expect(await eventually(() => closes.length > 0, 1_000)).toBe(true);
    expect(closes).toEqual([4403]);
    late.closed();
    owner.destroy();
    other.destroy();
  });

  it('closes with 4403 when an organisation grant that gave access is withdrawn', async () => {
    const { roomId, documentId } = await roomWithDocument(app, { room: 'AG Grant' });
    const mvUser = await app.user('MV');
    const mv = (await mvUser.get('/api/organizations')).json.organizations.find(
      (o: { code: string }) => o.code === 'MV',
    );
    await app.admin.put(`/api/rooms/${roomId}/grants/${mv.id}`, { role: 'editor' });
    const client = connectClient(as(mvUser), documentId);
    await client.synced();
    const result = await timeToClose(client, () => app.admin.delete(`/api/rooms/${roomId}/grants/${mv.id}`));
    expect(result).toMatchObject({ closed: true, code: 4403 });
    client.destroy();
  });
});

describe('awareness is tied to the session', () => {
  it("stamps the user's real name and organisation over what the client claims", async () => {
    const { owner, other, member } = await setup('editor', 'MV');
    other.provider.awareness.setLocalStateField('user', {
      name: 'Die Ministerin',
      color: '#aa0000',
      id: 'someone-else',
    });
    const seen = () =>
      owner.provider.awareness.getStates().get(other.doc.clientID)?.user as Record<string, string> | undefined;
    expect(await eventually(() => seen() !== undefined)).toBe(true);
    expect(seen()).toEqual({ name: 'Mitglied editor', color: '#aa0000', id: member.id, organization: 'MV' });
    owner.destroy();
    other.destroy();
  });

  it('closes a connection that speaks for the client id of another user with 1008', async () => {
    const { owner, other, member, documentId } = await setup('editor');
    owner.provider.awareness.setLocalStateField('user', { name: 'Admin' });
    expect(await eventually(() => other.provider.awareness.getStates().has(owner.doc.clientID))).toBe(true);
    const spoofDoc = new Y.Doc();
    spoofDoc.clientID = owner.doc.clientID;
    const spoof = new Awareness(spoofDoc);
    // A newer state than the real one: what an impostor, not an echo, would send.
    spoof.setLocalState({ user: { name: 'Admin' }, cursor: null });
    spoof.setLocalState({ user: { name: 'Admin' }, cursor: 'anywhere' });
    spoof.setLocalState({ user: { name: 'Admin' }, cursor: 'elsewhere' });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(spoof, [spoofDoc.clientID]));
    const raw = await openRaw(as(member), documentId);
    const closed = closeOf(raw);
    raw.send(encoding.toUint8Array(encoder));
    expect((await closed).code).toBe(1008);
    const state = other.provider.awareness.getStates().get(owner.doc.clientID) as { user: { id: string } };
    expect(state.user.id).toBe(app.admin.id);
    expect(owner.closes).toEqual([]);
    spoof.destroy();
    owner.destroy();
    other.destroy();
  });
});

describe('awareness after a reconnect', () => {
  it('lets a client come back with its client id after others echoed its removal', async () => {
    const { owner, other, member } = await setup('editor');
    other.provider.awareness.setLocalStateField('user', { name: 'x' });
    owner.provider.awareness.setLocalStateField('user', { name: 'y' });
    expect(await eventually(() => owner.provider.awareness.getStates().has(other.doc.clientID))).toBe(true);
    // The member's connection drops; the owner's stock client hears the removal and echoes it back.
    other.provider.disconnect();
    expect(await eventually(() => !owner.provider.awareness.getStates().has(other.doc.clientID))).toBe(true);
    // The owner's echo of the removal has reached the server.
    await roundTrip(owner);
    other.provider.connect();
    await other.synced();
    // The same awareness instance carries on with newer clocks, as in a browser tab.
    other.provider.awareness.setLocalStateField('cursor', 1);
    other.provider.awareness.setLocalStateField('cursor', 2);
    const seen = () =>
      owner.provider.awareness.getStates().get(other.doc.clientID)?.user as { id?: string } | undefined;
    expect(await eventually(() => seen()?.id === member.id)).toBe(true);
    other.doc.getText('text').insert(0, 'wieder da');
    expect(await eventually(() => textOf(owner) === 'wieder da')).toBe(true);
    expect(other.closes.filter((close) => close.code === 1008)).toEqual([]);
    other.destroy();
    owner.destroy();
  });
});
