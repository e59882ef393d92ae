import { zstdDecompressSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createStateMerger } from './state-merge.ts';
import { threadSchedule } from './thread-priority.ts';

const merger = createStateMerger();
afterAll(() => merger.close());

/** A snapshot of a text, then `edits` single-character edits as the log would hold them. */
function storedText(edits: number) {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'Grüße aus Kiel');
  const snapshot = Y.encodeStateAsUpdate(doc);
  const updates: { seq: number; update: Uint8Array }[] = [];
  doc.on('update', (update: Uint8Array) => updates.push({ seq: updates.length + 2, update }));
  for (let i = 0; i < edits; i += 1) doc.getText('t').insert(i % 5, String(i % 10));
  doc.getText('t').delete(0, 3);
  return { doc, snapshot, updates };
}

const textOf = (state: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  expect(doc.store.pendingStructs).toBeNull();
  return doc.getText('t').toString();
};

describe('merging a stored state off the main thread', () => {
  it('gives the state of the snapshot and every log entry after it', async () => {
    const { doc, snapshot, updates } = storedText(200);
    const merged = await merger.merge({ snapshot, updates });
    expect(textOf(merged)).toBe(doc.getText('t').toString());
    expect(Y.encodeStateVectorFromUpdate(merged)).toEqual(Y.encodeStateVector(doc));
  });

  it('compresses the merged state as versions store it, also a state it did not merge', async () => {
    const { doc, snapshot, updates } = storedText(200);
    const merged = await merger.mergePacked({ snapshot, updates });
    expect(textOf(merged.state)).toBe(doc.getText('t').toString());
    expect(new Uint8Array(zstdDecompressSync(merged.packed))).toEqual(merged.state);
    const whole = await merger.mergePacked({ snapshot, updates: [] });
    expect(whole.state).toBe(snapshot);
    expect(new Uint8Array(zstdDecompressSync(whole.packed))).toEqual(snapshot);
  });

  it('answers a compacted document with its snapshot as it is', async () => {
    const { snapshot } = storedText(0);
    expect(await merger.merge({ snapshot, updates: [] })).toBe(snapshot);
  });

  it('skips a log entry it cannot read, as a compaction does, and keeps the rest', async () => {
    const { snapshot, updates } = storedText(3);
    const broken = [...updates.slice(0, 2), { seq: 99, update: new Uint8Array([1, 200, 7]) }];
    const expected = new Y.Doc();
    Y.applyUpdate(expected, snapshot);
    for (const { update } of updates.slice(0, 2)) Y.applyUpdate(expected, update);
    expect(textOf(await merger.merge({ snapshot, updates: broken }))).toBe(expected.getText('t').toString());
  });

  it('fails for a snapshot it cannot read, instead of answering the log alone', async () => {
    const { updates } = storedText(3);
    await expect(merger.merge({ snapshot: new Uint8Array([9, 9, 9]), updates })).rejects.toThrow(/state worker failed/);
  });

  it('works out a restore: the update that turns the state into the version', async () => {
    const doc = new Y.Doc();
    doc.getXmlFragment('default').insert(0, [new Y.XmlText('Fassung vom Dienstag')]);
    const version = Y.encodeStateAsUpdate(doc);
    doc.getXmlFragment('default').insert(1, [new Y.XmlText('später ergänzt')]);
    const live = Y.encodeStateAsUpdate(doc);
    const update = await merger.restore('notes', live, version);
    Y.applyUpdate(doc, update!);
    expect(doc.getXmlFragment('default').toString()).toBe('Fassung vom Dienstag');
    expect(await merger.restore('notes', version, version)).toBeNull();
  });

  it('works again after it was closed', async () => {
    const again = createStateMerger();
    const { doc, snapshot, updates } = storedText(5);
    await again.close();
    expect(textOf(await again.merge({ snapshot, updates }))).toBe(doc.getText('t').toString());
    await again.close();
  });

  it.runIf(process.platform === 'linux')(
    'merges in a thread at nice 10, which live editing and the database outrank',
    async () => {
      await merger.pack(Y.encodeStateAsUpdate(storedText(3).doc));
      const applied = merger.priority();
      expect(applied?.threadId).toBeGreaterThan(0);
      const { policy, nice } = threadSchedule(`/proc/${process.pid}/task/${applied!.threadId}/stat`);
      // Never above this process's own nice value (a test run under `nice -n 15` has 15).
      expect(nice).toBe(Math.max(10, threadSchedule('/proc/thread-self/stat').nice));
      // The normal policy (0), not SCHED_IDLE (5): version saves are waited for.
      expect(applied!.applied).toBe('nice');
      expect(policy).toBe(0);
    },
  );
});
