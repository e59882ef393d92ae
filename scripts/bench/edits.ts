/**
 * The edits the benchmark types and how receivers count them. Every edit is a push of
 * `[writer, seq, sentAt]` onto the Y.Array "edits", with `sentAt` from this process's
 * performance.now(): all clients live in this one process, so send and receive share one clock.
 */
import * as Y from 'yjs';

/** One typed edit: which writer, its sequence number, and when it was sent (performance.now()). */
export type Edit = [writer: number, seq: number, sentAt: number];

/** Deliveries and their edit-to-remote latencies, over all receivers of a phase. */
export interface Tally {
  latencies: number[];
  delivered: number;
  /** When kept: every delivery as a pair (sentAt, latency), in arrival order, for "edits during X" figures. */
  timeline?: number[];
}

/** A fresh, empty tally; `timeline` keeps when each delivered edit was sent. */
export function newTally(timeline = false): Tally {
  return timeline ? { latencies: [], delivered: 0, timeline: [] } : { latencies: [], delivered: 0 };
}

/** Counts every remote edit that arrives in `doc` (local pushes are the writer's own). */
export function observeEdits(doc: Y.Doc, tally: Tally): void {
  doc.getArray<Edit>('edits').observe((event) => {
    if (event.transaction.local) return;
    const now = performance.now();
    for (const delta of event.changes.delta) {
      for (const edit of (delta.insert ?? []) as Edit[]) {
        tally.delivered += 1;
        tally.latencies.push(now - edit[2]);
        tally.timeline?.push(edit[2], now - edit[2]);
      }
    }
  });
}

/**
 * Returns an update handler for a listener socket: it reads the edits straight out of the
 * encoded update (no Y.Doc) and counts each edit once, even if a server sent it twice. A writing
 * socket passes its writer number: some servers send a client's own updates back to it.
 */
export function countUpdates(tally: Tally, own?: number): (update: Uint8Array) => void {
  const seen = new Set<number>();
  return (update) => {
    const now = performance.now();
    for (const struct of Y.decodeUpdate(update).structs) {
      if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentAny)) continue;
      for (const edit of struct.content.arr as Edit[]) {
        if (edit[0] === own) continue;
        const key = edit[0] * 1_000_000 + edit[1];
        if (seen.has(key)) continue;
        seen.add(key);
        tally.delivered += 1;
        tally.latencies.push(now - edit[2]);
        tally.timeline?.push(edit[2], now - edit[2]);
      }
    }
  };
}

/**
 * Types `rate` edits per second into `doc` as writer `writer`, starting at a random phase so
 * that writers do not all fire together; `alongside` changes the document in the same
 * transaction as each edit. Returns a function that stops typing and tells how many edits were
 * sent.
 */
export function startWriter(doc: Y.Doc, writer: number, rate: number, alongside?: (doc: Y.Doc) => void): () => number {
  const edits = doc.getArray<Edit>('edits');
  const period = 1000 / rate;
  let seq = 0;
  const type = () => {
    doc.transact(() => {
      alongside?.(doc);
      edits.push([[writer, seq, performance.now()]]);
    });
    seq += 1;
  };
  let interval: ReturnType<typeof setInterval> | undefined;
  const phase = setTimeout(() => {
    type();
    interval = setInterval(type, period);
  }, Math.random() * period);
  return () => {
    clearTimeout(phase);
    clearInterval(interval);
    return seq;
  };
}
