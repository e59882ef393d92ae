import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from '../helpers/app.ts';
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

// Issue 18, item 4: a Yjs client id belongs to the user who first wrote with it or showed
// presence with it; nobody else may take it, not even after its owner's socket dropped or the
// document was unloaded, and its owner can always come back.
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ sync: { unloadDelayMs: 100 } });
});
afterAll(() => app.close());

const as = (client: { cookie: string | undefined }): SyncTarget => syncTarget(app, client);
const textOf = (client: SyncClient) => client.doc.getText('text').toString();

async function roomWithTwoEditors() {
  const {
    documentId,
    members: [colleague, squatter],
  } = await roomWithDocument(app, {
    room: 'AG Präsenz',
    members: [
      { organization: 'SH', name: 'Anna Ahrens', role: 'editor' },
      { organization: 'MV', name: 'Bernd Brandt', role: 'editor' },
    ],
  });
  return { documentId, colleague, squatter };
}

/** A stock client of `user` that uses `clientId` as its Yjs client id. */
function clientWithId(user: { cookie: string | undefined }, documentId: string, clientId: number, text = '') {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  // Written before connecting: what it sends first is an edit under that client id.
  if (text) doc.getText('text').insert(0, text);
  return connectClient(as(user), documentId, { doc });
}

function awarenessFrame(entries: { clientId: number; clock: number; state: object | null }[]) {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(inner, entry.clientId);
    encoding.writeVarUint(inner, entry.clock);
    encoding.writeVarString(inner, JSON.stringify(entry.state));
  }
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, 1);
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}

describe("a colleague's client id", () => {
  it('cannot be claimed after their socket dropped and the document unloaded; their reconnect works', async () => {
    const { documentId, colleague, squatter } = await roomWithTwoEditors();
    const anna = connectClient(as(colleague), documentId);
    await anna.synced();
    anna.provider.awareness.setLocalStateField('user', { name: 'Anna' });
    anna.doc.getText('text').insert(0, 'Anna schreibt. ');
    const annaId = anna.doc.clientID;
    expect(await eventually(() => app.sync!.loadedDocuments().includes(documentId))).toBe(true);
    // Her laptop lid closes; everyone leaves; the document unloads (as after a restart).
    anna.provider.disconnect();
    expect(await eventually(() => !app.sync!.loadedDocuments().includes(documentId))).toBe(true);

    const bernd = clientWithId(squatter, documentId, annaId);
    await bernd.synced();
    for (let i = 0; i < 10; i += 1) bernd.provider.awareness.setLocalStateField('cursor', i);
    expect(await eventually(() => bernd.closes.some((close) => close.code === 1008))).toBe(true);
    // Hearing Anna's edits under its own id, Bernd's Y.Doc took a new one (Yjs does that); its
    // awareness kept hers, which the provider's farewell expects to match.
    bernd.doc.clientID = annaId;
    bernd.destroy();

    const observer = connectClient(as(app.admin), documentId);
    await observer.synced();
    anna.provider.connect();
    await anna.synced();
    anna.provider.awareness.setLocalStateField('cursor', 1);
    anna.provider.awareness.setLocalStateField('cursor', 2);
    const seen = () => observer.provider.awareness.getStates().get(annaId)?.user as { id?: string } | undefined;
    expect(await eventually(() => seen()?.id === colleague.id)).toBe(true);
    anna.doc.getText('text').insert(textOf(anna).length, 'Und wieder.');
    expect(await eventually(() => textOf(observer) === 'Anna schreibt. Und wieder.')).toBe(true);
    expect(anna.closes.filter((close) => close.code === 1008)).toEqual([]);
    for (const client of [anna, observer]) client.destroy();
  });

  it('cannot be used for edits by someone else', async () => {
    const { documentId, colleague, squatter } = await roomWithTwoEditors();
    const anna = connectClient(as(colleague), documentId);
    await anna.synced();
    anna.doc.getText('text').insert(0, 'Anna.');
    const observer = connectClient(as(app.admin), documentId);
    await observer.synced();
    expect(await eventually(() => textOf(observer) === 'Anna.')).toBe(true);
    anna.provider.disconnect();

    const bernd = clientWithId(squatter, documentId, anna.doc.clientID, 'Bernd überschreibt Annas Verlauf.');
    expect(await eventually(() => bernd.closes.some((close) => close.code === 1008))).toBe(true);
    bernd.destroy();
    // Refused (1008): had it been stored, it would be in what the server commits next.
    const stored = await committedAfterMark(as(app.admin), documentId, observer.doc);
    expect(stored.getText('text').toString()).toBe('Anna.');
    expect(textOf(observer)).toBe('Anna.');
    // Anna's own next edit, under her id, still arrives.
    anna.provider.connect();
    await anna.synced();
    anna.doc.getText('text').insert(5, ' Weiter.');
    expect(await eventually(() => textOf(observer) === 'Anna. Weiter.')).toBe(true);
    for (const client of [anna, observer]) client.destroy();
  });
});

describe('one connection', () => {
  it('may speak for four client ids, and is closed with 1008 for a fifth', async () => {
    const { documentId, squatter } = await roomWithTwoEditors();
    const observer = connectClient(as(app.admin), documentId);
    await observer.synced();
    const base = 900_000 + Math.floor(Math.random() * 1_000_000);
    const entries = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ clientId: base + i, clock: 1, state: { cursor: i } }));
    const raw = await openRaw(as(squatter), documentId);
    const closed = closeOf(raw);
    raw.send(awarenessFrame(entries(4)));
    expect(await eventually(() => observer.provider.awareness.getStates().has(base + 3))).toBe(true);
    raw.send(awarenessFrame(entries(5)));
    expect((await closed).code).toBe(1008);
    expect(observer.provider.awareness.getStates().has(base + 4)).toBe(false);

    const many = await openRaw(as(squatter), documentId);
    const refused = closeOf(many);
    many.send(awarenessFrame(entries(5_000).map((entry) => ({ ...entry, clientId: entry.clientId + 10 }))));
    expect((await refused).code).toBe(1008);
    // Whatever the refused frame made the server send the observer has arrived by now.
    await roundTrip(observer);
    expect(observer.provider.awareness.getStates().size).toBeLessThan(10);
    observer.destroy();
  });
});
