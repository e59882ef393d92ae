import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createSearchIndexer, type DocumentReader, spacingAfter } from '../../apps/server/src/search-index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { eventually } from '../helpers/sync.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

function protocolSaying(text: string): Y.Doc {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment('default').insert(0, [paragraph]);
  return doc;
}

describe('the search indexer', () => {
  it('spaces the readings of a document by ten times what one took, between twice the delay and 10 s', () => {
    expect(spacingAfter(5, 1_000)).toBe(1_000);
    expect(spacingAfter(300, 1_000)).toBe(3_000);
    expect(spacingAfter(5_000, 1_000)).toBe(10_000);
  });

  it('reads a document that is slow to index rarely while people type in it, and indexes the last state', async () => {
    const owner = await app.user('SH');
    const room = (await owner.post('/api/rooms', { name: 'AG Data Fabric' })).json.room;
    const protocol = (await owner.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Langes Protokoll' }))
      .json.document;
    let doc = protocolSaying('Resilienz der Rechenzentren');
    let readings = 0;
    // A big protocol: every reading takes 150 ms (the walk over several MB of text).
    const slowReader: DocumentReader = async (_documentId, read) => {
      readings++;
      await new Promise((done) => setTimeout(done, 150));
      return read(doc);
    };
    const indexer = createSearchIndexer({
      db: app.database.db,
      read: () => slowReader,
      delayMs: 50,
      log: { warn: () => {}, info: () => {} },
    });
    try {
      // Someone types for 2.5 s: a change every 20 ms.
      const typingUntil = Date.now() + 2_500;
      while (Date.now() < typingUntil) {
        indexer.changed(protocol.id);
        await new Promise((done) => setTimeout(done, 20));
      }
      // Twice the delay (100 ms) apart, it would have been read about ten times; ten times
      // 150 ms apart, at most twice (plus one reading that may be under way).
      expect(readings).toBeGreaterThanOrEqual(1);
      expect(readings).toBeLessThanOrEqual(3);
      doc = protocolSaying('Digitale Souveränität als Leitbild');
      indexer.changed(protocol.id);
      const found = await eventually(async () => {
        const response = await owner.get('/api/search?q=Souver%C3%A4nit%C3%A4t');
        return response.json.results.some((result: { documentId: string }) => result.documentId === protocol.id);
      }, 15_000);
      expect(found).toBe(true);
    } finally {
      await indexer.stop();
    }
  });
});
