import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import { foldStored } from './yjs-state.ts';

/**
 * The worker thread of state-merge.ts: merges a document's stored parts (snapshot, then log
 * entries) into one update. Y.mergeUpdates works on the encoded structs without building a
 * document; parts it cannot read are folded as a compaction folds them (a broken snapshot fails,
 * a broken log entry is skipped).
 */

/** A request: the parts in log order. */
export interface MergeRequest {
  id: number;
  snapshot: Uint8Array | undefined;
  updates: Uint8Array[];
}

/** An answer: the merged state, or why it failed. */
export type MergeAnswer = { id: number; state: Uint8Array } | { id: number; error: string };

function merge({ snapshot, updates }: MergeRequest): Uint8Array {
  try {
    return Y.mergeUpdates(snapshot ? [snapshot, ...updates] : updates);
  } catch {
    return foldStored({ snapshot, updates: updates.map((update, seq) => ({ seq, update })) });
  }
}

parentPort?.on('message', (request: MergeRequest) => {
  let answer: MergeAnswer;
  try {
    answer = { id: request.id, state: merge(request) };
  } catch (error) {
    answer = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  // The merged bytes are this thread's own: handed over, not copied.
  parentPort!.postMessage(answer, 'state' in answer ? [answer.state.buffer as ArrayBuffer] : []);
});
