import { parentPort } from 'node:worker_threads';
import { type DocumentKind, restoreUpdateOfState } from '@nordraum/domain';
import * as Y from 'yjs';
import { foldStored } from './yjs-state.ts';

/**
 * The worker thread of state-merge.ts. It merges a document's stored parts (snapshot, then log
 * entries) into one update: Y.mergeUpdates works on the encoded structs without building a
 * document; parts it cannot read are folded as a compaction folds them (a broken snapshot fails,
 * a broken log entry is skipped). And it works out a restore: the update that turns a state into
 * a version's content (packages/domain, restore.ts).
 */

/** A request: merge the parts in log order, or the update that restores `target` over `live`. */
export type WorkerRequest =
  | { id: number; type: 'merge'; snapshot: Uint8Array | undefined; updates: Uint8Array[] }
  | { id: number; type: 'restore'; kind: DocumentKind; live: Uint8Array; target: Uint8Array };

/** An answer: the bytes asked for (null: a restore with nothing to do), or why it failed. */
export type WorkerAnswer = { id: number; bytes: Uint8Array | null } | { id: number; error: string };

function merge(snapshot: Uint8Array | undefined, updates: Uint8Array[]): Uint8Array {
  try {
    return Y.mergeUpdates(snapshot ? [snapshot, ...updates] : updates);
  } catch {
    return foldStored({ snapshot, updates: updates.map((update, seq) => ({ seq, update })) });
  }
}

function answer(request: WorkerRequest): Uint8Array | null {
  if (request.type === 'merge') return merge(request.snapshot, request.updates);
  return restoreUpdateOfState(request.kind, request.live, request.target);
}

parentPort?.on('message', (request: WorkerRequest) => {
  let reply: WorkerAnswer;
  try {
    reply = { id: request.id, bytes: answer(request) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  // The bytes are this thread's own: handed over, not copied.
  const bytes = 'bytes' in reply ? reply.bytes : null;
  parentPort!.postMessage(reply, bytes ? [bytes.buffer as ArrayBuffer] : []);
});
