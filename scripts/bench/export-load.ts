/**
 * Live editing while exports run: Nordraum with a 50-page protocol, stock y-websocket clients
 * typing on other documents (see load.ts), once alone and once while a reader exports the
 * protocol to PDF back to back. Prints the edit-to-remote p99 of both phases; the target
 * is "no worse than +5 ms". Run with the export worker (NORDRAUM_EXPORT_WORKERS=1, the default)
 * and, for comparison, rendering in the main thread (0).
 */
import { type NotesBlock, readNotesTree, writeNotesTree } from '@nordraum/domain';
import * as Y from 'yjs';
import { connectYWebsocket, webSocketWithHeaders } from './clients.ts';
import { type LoadPlan, runLoad } from './load.ts';
import { startNordraum } from './nordraum.ts';
import { percentile } from './report.ts';

/** Four documents with three typists each, five edits a second each, for 20 seconds. */
const plan: LoadPlan = { docs: 4, socketsPerDoc: 3, writersPerDoc: 3, rate: 5, seconds: 20 };

type Server = Awaited<ReturnType<typeof startNordraum>>;

/** Writes `blocks` into a new notes document through /sync and waits until the server has them. */
async function uploadProtocol(server: Server, blocks: NotesBlock[]): Promise<string> {
  const response = await fetch(`${server.url}/api/rooms/${server.roomId}/documents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url, cookie: server.cookie },
    body: JSON.stringify({ kind: 'notes', title: 'Workshop-Protokoll (50 Seiten)' }),
  });
  const { document } = (await response.json()) as { document: { id: string } };
  const doc = new Y.Doc();
  const sync = `${server.url.replace(/^http/, 'ws')}/sync`;
  const client = connectYWebsocket(
    sync,
    document.id,
    doc,
    webSocketWithHeaders({ cookie: server.cookie, origin: server.url }),
  );
  await client.synced;
  writeNotesTree(doc, blocks);
  const deadline = performance.now() + 60_000;
  for (;;) {
    const state = await fetch(`${server.url}/api/documents/${document.id}/state`, {
      headers: { cookie: server.cookie },
    });
    const copy = new Y.Doc();
    Y.applyUpdate(copy, new Uint8Array(await state.arrayBuffer()));
    if (readNotesTree(copy).length === blocks.length) break;
    if (performance.now() > deadline) throw new Error('the protocol did not reach the server');
    await new Promise((done) => setTimeout(done, 200));
  }
  client.destroy();
  return document.id;
}

/** Exports `documentId` to PDF one after the other until `stop` says so; the times of each. */
async function exportLoop(server: Server, documentId: string, stop: () => boolean): Promise<number[]> {
  const times: number[] = [];
  while (!stop()) {
    const started = performance.now();
    const response = await fetch(`${server.url}/api/documents/${documentId}/export?format=pdf`, {
      headers: { cookie: server.cookie },
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`export answered ${response.status}`);
    times.push(performance.now() - started);
  }
  return times;
}

/** One server with `workers` export workers: p99 of edits alone and during exports. */
export async function syncDuringExports(workers: number, niceness: number, blocks: NotesBlock[]) {
  const server = await startNordraum({
    NORDRAUM_EXPORT_WORKERS: String(workers),
    NORDRAUM_EXPORT_NICENESS: String(niceness),
  });
  try {
    const protocolId = await uploadProtocol(server, blocks);
    await exportLoop(
      server,
      protocolId,
      (() => {
        let runs = 0;
        return () => runs++ >= 2; // warm the writers (and the worker) up
      })(),
    );
    const quiet = await runLoad(server, plan);
    let done = false;
    const exporting = exportLoop(server, protocolId, () => done);
    const busy = await runLoad(server, plan).finally(() => {
      done = true;
    });
    const exportTimes = (await exporting).sort((a, b) => a - b);
    const p99 = (result: typeof quiet) => percentile(result.tally.latencies, 99);
    return {
      workers,
      niceness,
      quietP99: p99(quiet),
      busyP99: p99(busy),
      quietP50: percentile(quiet.tally.latencies, 50),
      busyP50: percentile(busy.tally.latencies, 50),
      exports: exportTimes.length,
      exportMedianMs: percentile(exportTimes, 50),
      delivered: `${busy.tally.delivered}/${busy.expected}`,
    };
  } finally {
    await server.stop();
  }
}
