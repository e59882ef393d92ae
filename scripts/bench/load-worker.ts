/**
 * One thread of a spread load (see spread-load.ts): connects the writers and listeners of its
 * share of the documents, reports when they are synced, types on the parent's word, and hands
 * back its deliveries and latencies. Writers and listeners of a document live in the same thread,
 * so that every latency is read on one clock.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { WebSocket } from 'ws';
import { connectHocuspocus, connectYWebsocket, webSocketWithHeaders } from './clients.ts';
import { newTally } from './edits.ts';
import { listenHocuspocus, listenYWebsocket } from './listeners.ts';
import { closeAll, connectAll, converged, drive, type LoadPlan } from './load.ts';
import type { Endpoint, Target } from './target.ts';

/** What the parent gives a thread. */
export interface WorkerInput {
  endpoint: Endpoint;
  names: string[];
  plan: Omit<LoadPlan, 'prepare' | 'alongside'>;
}

/** The thread's messages to the parent, in this order. */
export type WorkerMessage =
  | { type: 'synced'; firstSyncMs: number[]; failed: number }
  | {
      type: 'done';
      sent: number;
      expected: number;
      delivered: number;
      latencies: Float64Array;
      convergedDocs: number;
      lagP99Ms: number;
    };

const lagResolutionMs = 10;

/** The client and listener functions of a target, rebuilt from its endpoint in this thread. */
function connector({ protocol, url, headers }: Endpoint): Pick<Target, 'client' | 'listener'> {
  if (protocol === 'hocuspocus') {
    return {
      client: (name, doc) => connectHocuspocus(url, name, doc),
      listener: (name, onUpdate) => listenHocuspocus(url, name, onUpdate),
    };
  }
  const socketClass = headers ? webSocketWithHeaders(headers) : WebSocket;
  return {
    client: (name, doc) => connectYWebsocket(url, name, doc, socketClass),
    listener: (name, onUpdate) => listenYWebsocket(`${url}/${name}`, socketClass, onUpdate),
  };
}

const port = parentPort!;
const { endpoint, names, plan } = workerData as WorkerInput;
const tally = newTally();
const { sessions, firstSyncMs, failed } = await connectAll(connector(endpoint), names, plan, tally);
port.postMessage({ type: 'synced', firstSyncMs, failed } satisfies WorkerMessage);
await new Promise((go) => port.once('message', go));
const lag = monitorEventLoopDelay({ resolution: lagResolutionMs });
lag.enable();
const { sent, expected } = await drive(sessions, plan, tally);
lag.disable();
const latencies = Float64Array.from(tally.latencies);
const done: WorkerMessage = {
  type: 'done',
  sent,
  expected,
  delivered: tally.delivered,
  latencies,
  // A raw writer's document holds only its own edits: there is nothing to compare.
  convergedDocs: plan.rawWriters ? 0 : sessions.filter(converged).length,
  // As in load.ts: the histogram holds whole timer periods, the lag is what exceeds one.
  lagP99Ms: Math.max(0, lag.percentile(99) / 1e6 - lagResolutionMs),
};
port.postMessage(done, [latencies.buffer]);
closeAll(sessions);
// Closing sockets still have their close handshakes pending: end the thread without waiting.
setTimeout(() => process.exit(0), 200);
