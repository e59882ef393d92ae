import { parentPort, workerData } from 'node:worker_threads';
import { zstdCompressSync } from 'node:zlib';
import { type DocumentKind, restoreUpdateOfState } from '@nordraum/domain';
import * as Y from 'yjs';
import { lowerThreadPriority, type ThreadPriority } from './thread-priority.ts';
import { foldStored } from './yjs-state.ts';

/**
 * The worker thread of state-merge.ts. It merges a document's stored parts (snapshot, then log
 * entries) into one update: Y.mergeUpdates works on the encoded structs without building a
 * document; parts it cannot read are folded as a compaction folds them (a broken snapshot fails,
 * a broken log entry is skipped). It compresses a state as versions store it (zstd; see
 * doc_version.state_encoding), so neither the main thread nor PostgreSQL spends time on it. And it
 * works out a restore: the update that turns a state into a version's content (packages/domain,
 * restore.ts).
 */

/**
 * A request: merge the parts in log order (`pack`: and compress the result), compress a state, or
 * the update that restores `target` over `live`.
 */
export type WorkerRequest =
  | { id: number; type: 'merge'; snapshot: Uint8Array | undefined; updates: Uint8Array[]; pack?: boolean }
  | { id: number; type: 'pack'; state: Uint8Array }
  | { id: number; type: 'restore'; kind: DocumentKind; live: Uint8Array; target: Uint8Array };

/**
 * An answer: the bytes asked for (null: a restore with nothing to do; a merge's state; a pack's
 * compressed state) and, for a merge asked to pack, its state compressed; or why it failed.
 */
export type WorkerAnswer = ({ id: number } & Answered) | { id: number; error: string };

type Answered = { bytes: Uint8Array | null; packed?: Uint8Array };

function merge(snapshot: Uint8Array | undefined, updates: Uint8Array[]): Uint8Array {
  try {
    return Y.mergeUpdates(snapshot ? [snapshot, ...updates] : updates);
  } catch {
    return foldStored({ snapshot, updates: updates.map((update, seq) => ({ seq, update })) });
  }
}

/** A state as versions store it: one zstd frame (its own bytes, so that it can be handed over). */
const pack = (state: Uint8Array) => new Uint8Array(zstdCompressSync(state));

function answer(request: WorkerRequest): Answered {
  if (request.type === 'pack') return { bytes: pack(request.state) };
  if (request.type === 'restore') return { bytes: restoreUpdateOfState(request.kind, request.live, request.target) };
  const bytes = merge(request.snapshot, request.updates);
  return request.pack ? { bytes, packed: pack(bytes) } : { bytes };
}

// Versions can wait; live editing and the database come first (thread-priority.ts). Told to the merger once.
if (parentPort) {
  const { priority } = (workerData ?? {}) as { priority?: ThreadPriority };
  parentPort.postMessage({ priority: lowerThreadPriority(priority) });
}

parentPort?.on('message', (request: WorkerRequest) => {
  let reply: WorkerAnswer;
  try {
    reply = { id: request.id, ...answer(request) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  // The bytes are this thread's own: handed over, not copied.
  const owned = 'bytes' in reply ? [reply.bytes, reply.packed].filter((bytes) => bytes instanceof Uint8Array) : [];
  parentPort!.postMessage(
    reply,
    owned.map((bytes) => bytes.buffer as ArrayBuffer),
  );
});
