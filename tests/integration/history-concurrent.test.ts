import { docOf, notesText } from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeParagraphs } from '../../packages/domain/src/history/test-docs.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { connectClient, eventually, type SyncClient } from '../helpers/sync.ts';

/**
 * A version named while others type is the document's state at one log position: it holds every
 * edit the other editors had already received (those were committed), and it is exactly the log up
 * to the position stored with it, a state that applies completely.
 */

let app: TestApp;
beforeAll(async () => {
  // No compaction during the test: the log up to a version's position is read back to compare.
  app = await startTestApp({ sync: { compactAfter: 100_000 } });
});
afterAll(() => app.close());

async function connected(documentId: string): Promise<SyncClient> {
  const client = connectClient({ url: app.url, origin: app.origin, cookie: app.admin.cookie }, documentId);
  await client.synced();
  return client;
}

/** Types into its paragraph every few milliseconds until stopped; returns how many edits it made. */
function typing(doc: Y.Doc, paragraph: number, mark: string) {
  const text = (doc.getXmlFragment('default').get(paragraph) as Y.XmlElement).get(0) as Y.XmlText;
  let count = 0;
  const timer = setInterval(() => {
    count += 1;
    text.insert(text.length, ` ${mark}${count}`);
  }, 4);
  return () => {
    clearInterval(timer);
    return count;
  };
}

/** The document as its log holds it up to `seq` (snapshot and entries), read from the database. */
async function logState(documentId: string, seq: number): Promise<Y.Doc> {
  const { rows } = await app.database.pool.query<{ data: Buffer }>(
    `select state as data, 0 as seq from doc_snapshot where document_id = $1 and seq <= $2
     union all select "update", seq from doc_update where document_id = $1 and seq <= $2 order by seq`,
    [documentId, seq],
  );
  const doc = new Y.Doc();
  for (const row of rows) Y.applyUpdate(doc, new Uint8Array(row.data));
  return doc;
}

async function storedSeq(versionId: string): Promise<number> {
  const { rows } = await app.database.pool.query('select seq from doc_version where id = $1', [versionId]);
  return Number(rows[0].seq);
}

/** Whether every client's clock in `part` is reached in `whole`. */
function covers(whole: Map<number, number>, part: Map<number, number>): boolean {
  return [...part].every(([client, clock]) => (whole.get(client) ?? 0) >= clock);
}

describe('a version named while others type', () => {
  it('holds every edit they had received and equals the log at its position', async () => {
    const room = (await app.admin.post('/api/rooms', { name: 'AG Gleichzeitig' })).json.room;
    const documentId: string = (
      await app.admin.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Sitzung' })
    ).json.document.id;
    const [first, second, observer] = [
      await connected(documentId),
      await connected(documentId),
      await connected(documentId),
    ];
    writeParagraphs(first.doc, ['Tagesordnung', 'Beschlüsse', 'Offene Punkte']);
    expect(await eventually(() => second.doc.getXmlFragment('default').length === 3, 10_000)).toBe(true);
    const stops = [typing(first.doc, 1, 'ä'), typing(second.doc, 2, 'ö')];
    const checked: number[] = [];
    try {
      for (let round = 0; round < 5; round += 1) {
        // Let some edits arrive, then name a version: what the observer has received was committed.
        await new Promise((done) => setTimeout(done, 150));
        const received = Y.decodeStateVector(Y.encodeStateVector(observer.doc));
        const created = await app.admin.post(`/api/documents/${documentId}/versions`, { name: `Stand ${round}` });
        expect(created.status).toBe(201);
        const response = await fetch(
          `${app.url}/api/documents/${documentId}/versions/${created.json.version.id}/state`,
          {
            headers: { cookie: app.admin.cookie ?? '' },
          },
        );
        const state = new Uint8Array(await response.arrayBuffer());
        expect(state.byteLength).toBe(created.json.version.bytes);

        const version = docOf(state);
        // A complete state: nothing in it waits for missing parts.
        expect(version.store.pendingStructs).toBeNull();
        expect(version.store.pendingDs).toBeNull();
        const has = Y.decodeStateVector(Y.encodeStateVector(version));
        expect(covers(has, received)).toBe(true);
        const seq = await storedSeq(created.json.version.id);
        const logged = await logState(documentId, seq);
        expect(has).toEqual(Y.decodeStateVector(Y.encodeStateVector(logged)));
        expect(notesText(version)).toBe(notesText(logged));
        checked.push(seq);
      }
    } finally {
      for (const stop of stops) stop();
    }
    // The edits went on while the versions were named: each one stands at a later position.
    expect(checked).toEqual([...checked].sort((a, b) => a - b));
    expect(new Set(checked).size).toBe(checked.length);
    for (const client of [first, second, observer]) client.destroy();
  });
});

describe('a version named again after a compaction', () => {
  it('holds the whole document: the folded entries come from the new snapshot', async () => {
    const compacting = await startTestApp({ database: app.database, sync: { compactAfter: 20 } });
    const room = (await app.admin.post('/api/rooms', { name: 'AG Verdichtet' })).json.room;
    const documentId: string = (
      await app.admin.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Sitzung' })
    ).json.document.id;
    const path = `/api/documents/${documentId}/versions`;
    const writer = connectClient(
      { url: compacting.url, origin: compacting.origin, cookie: app.admin.cookie },
      documentId,
    );
    await writer.synced();
    writeParagraphs(writer.doc, ['Erster Stand']);
    const seq = async () => {
      const { rows } = await app.database.pool.query(
        `select update_seq, coalesce((select seq from doc_snapshot where document_id = $1), 0) as snapshot
         from document where id = $1`,
        [documentId],
      );
      return { log: Number(rows[0].update_seq), snapshot: Number(rows[0].snapshot) };
    };
    expect(await eventually(async () => (await seq()).log === 1, 10_000)).toBe(true);
    const first = await fetch(compacting.url + path, {
      method: 'POST',
      headers: { cookie: app.admin.cookie ?? '', 'content-type': 'application/json', origin: compacting.origin },
      body: JSON.stringify({ name: 'Vorher' }),
    });
    expect(first.status).toBe(201);

    const text = (writer.doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    for (let i = 0; i < 60; i += 1) text.insert(text.length, ` ü${i}`);
    // Everything is committed, and a compaction folded entries after the first version away.
    expect(await eventually(async () => (await seq()).log === 61 && (await seq()).snapshot > 1, 20_000)).toBe(true);
    const second = await fetch(compacting.url + path, {
      method: 'POST',
      headers: { cookie: app.admin.cookie ?? '', 'content-type': 'application/json', origin: compacting.origin },
      body: JSON.stringify({ name: 'Nachher' }),
    });
    expect(second.status).toBe(201);
    const { version } = (await second.json()) as { version: { id: string } };
    const state = await fetch(`${compacting.url}${path}/${version.id}/state`, {
      headers: { cookie: app.admin.cookie ?? '' },
    });
    const saved = docOf(new Uint8Array(await state.arrayBuffer()));
    expect(notesText(saved)).toBe(notesText(writer.doc));
    expect(Y.encodeStateVector(saved)).toEqual(Y.encodeStateVector(writer.doc));
    expect(await storedSeq(version.id)).toBe(61);
    writer.destroy();
    await compacting.close();
  });
});
