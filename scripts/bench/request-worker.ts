/**
 * The HTTP requests of the export bench's jobs (exports and imports), in a thread of their own:
 * reading a 1 MB PDF answer or sending a 5 MB upload on the typists' event loop would delay their
 * receipts, and that delay would be counted as the server's stall. A person exporting is not in
 * the same browser as the people typing. Messages: `{ type: 'body', name, bytes }` keeps a request
 * body for later; `{ type: 'request', id, url, init, body? }` answers `{ id, status }` once the
 * answer is read, or `{ id, error }`.
 */
import { parentPort } from 'node:worker_threads';

export type RequestMessage =
  | { type: 'body'; name: string; bytes: Uint8Array }
  | {
      type: 'request';
      id: number;
      url: string;
      init: { method?: string; headers: Record<string, string> };
      body?: string;
    };

export type RequestAnswer = { id: number; status: number } | { id: number; error: string };

const port = parentPort!;
const bodies = new Map<string, Uint8Array<ArrayBuffer>>();

port.on('message', async (message: RequestMessage) => {
  if (message.type === 'body') {
    bodies.set(message.name, message.bytes as Uint8Array<ArrayBuffer>);
    return;
  }
  try {
    const body = message.body === undefined ? undefined : bodies.get(message.body)!;
    const response = await fetch(message.url, { ...message.init, body });
    await response.arrayBuffer();
    port.postMessage({ id: message.id, status: response.status } satisfies RequestAnswer);
  } catch (error) {
    port.postMessage({ id: message.id, error: String(error) } satisfies RequestAnswer);
  }
});
