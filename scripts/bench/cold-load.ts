/**
 * Cold load of a document with a long update log: one client writes `updates` small edits (one
 * update each), everyone leaves, the server unloads the document, and then a fresh client is timed
 * from connect until it is synced and holds every edit. Repeated: the first load may also compact
 * the log; the following ones read the compacted document.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import * as Y from 'yjs';
import type { SyncClient } from './clients.ts';
import { within } from './load.ts';
import type { Target } from './target.ts';

/** Cold-load timings of one server, in ms; `first` is the load right after writing the log. */
export interface ColdLoadResult {
  updates: number;
  first: number;
  later: number[];
  failed: number;
}

const chunk = 250;
const loadTimeoutMs = 60_000;
// Time for the server to persist the last updates before everyone leaves.
const persistWaitMs = 1000;

/** Resolves once the client is synced and its document holds `count` edits (or the timeout passes). */
async function loaded(doc: Y.Doc, client: SyncClient, count: number): Promise<boolean> {
  const edits = doc.getArray('edits');
  const full = new Promise<void>((done) => {
    const check = () => {
      if (edits.length < count) return;
      edits.unobserve(check);
      done();
    };
    edits.observe(check);
    check();
  });
  return (await within(Promise.all([client.synced, full]), loadTimeoutMs)) !== undefined;
}

/** Connects a fresh client, waits until it holds `count` edits; returns ms or undefined on timeout. */
async function timeLoad(target: Target, name: string, count: number): Promise<number | undefined> {
  const started = performance.now();
  const doc = new Y.Doc();
  const client = target.client(name, doc);
  const ok = await loaded(doc, client, count);
  const elapsed = performance.now() - started;
  client.destroy();
  doc.destroy();
  return ok ? elapsed : undefined;
}

/** Writes the update log through one client, in chunks so that the socket is not flooded at once. */
async function writeLog(target: Target, name: string, updates: number): Promise<void> {
  const doc = new Y.Doc();
  const client = target.client(name, doc);
  try {
    if ((await within(client.synced, loadTimeoutMs)) === undefined)
      throw new Error(`${target.name}: writer did not sync`);
    const edits = doc.getArray('edits');
    for (let i = 0; i < updates; i += 1) {
      edits.push([[0, i, 0]]);
      if (i % chunk === chunk - 1) await sleep(1);
    }
    // A second client that sees every edit proves the server has them all.
    const seen = await timeLoad(target, name, updates);
    if (seen === undefined) throw new Error(`${target.name}: the written log did not come back`);
    await sleep(persistWaitMs);
  } finally {
    client.destroy();
    doc.destroy();
  }
}

/** Runs the cold-load measurement on a fresh document; `loads` timed loads in total. */
export async function runColdLoad(target: Target, updates: number, loads: number): Promise<ColdLoadResult> {
  const [name] = await target.createDocuments(1);
  await writeLog(target, name!, updates);
  const times: (number | undefined)[] = [];
  for (let i = 0; i < loads; i += 1) {
    await sleep(target.unloadWaitMs);
    times.push(await timeLoad(target, name!, updates));
  }
  const ok = times.filter((t): t is number => t !== undefined);
  return {
    updates,
    first: times[0] ?? Number.NaN,
    later: times
      .slice(1)
      .filter((t): t is number => t !== undefined)
      .sort((a, b) => a - b),
    failed: times.length - ok.length,
  };
}
