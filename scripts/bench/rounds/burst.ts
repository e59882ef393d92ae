/** Start-up burst: J people open one document (with content, not loaded) within one second. */
import * as Y from 'yjs';
import type { SyncClient } from '../clients.ts';
import { percentile } from '../report.ts';
import type { Target } from '../target.ts';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Time to first sync p50/p99 of `joiners` clients opening one document within one second. */
export async function startupBurst(target: Target, joiners: number) {
  const [name] = await target.createDocuments(1);
  const seed = new Y.Doc();
  const writer = target.client(name!, seed);
  await writer.synced;
  for (let i = 0; i < 100; i += 1) seed.getText('notes').insert(0, `Punkt ${i} der Tagesordnung. `);
  await sleep(1_000);
  writer.destroy();
  await sleep(target.unloadWaitMs);
  const clients: SyncClient[] = [];
  const times: number[] = [];
  for (let i = 0; i < joiners; i += 1) {
    const client = target.client(name!, new Y.Doc());
    clients.push(client);
    void client.synced.then((ms) => times.push(ms));
    await sleep(1_000 / joiners);
  }
  const deadline = performance.now() + 30_000;
  while (times.length < joiners && performance.now() < deadline) await sleep(20);
  for (const client of clients) client.destroy();
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), failed: joiners - times.length };
}
