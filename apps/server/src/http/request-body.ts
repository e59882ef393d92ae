import type { IncomingMessage } from 'node:http';
import { AppError } from '@nordraum/domain';
import type { Context } from 'hono';
import type { AppEnv } from './context.ts';

/** The most bytes read here: the import routes' body limit (body-limit.ts) checked the declared length already. */
const maxBodyBytes = 21 * 1024 * 1024;

/**
 * A request's body in the chunks it arrived in, each in a buffer of its own (so it can be moved
 * to a worker thread whole): read from Node's request directly, not through a web stream and
 * not joined into one buffer (a 5 MB upload was two more copies of it on this thread, whose
 * buffers its garbage collector then had to account for). A request that did not come through
 * Node's server (the in-process API) or whose body was read already is read as one buffer.
 */
export async function requestBody(c: Context<AppEnv>): Promise<Uint8Array[]> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const own =
    incoming !== undefined &&
    !incoming.readableDidRead &&
    incoming.method === c.req.method &&
    incoming.url?.split('?')[0] === c.req.path;
  if (!own) return [new Uint8Array(await c.req.arrayBuffer())];
  return chunksOf(incoming);
}

/**
 * The chunks of `incoming` as its socket delivered them. Taken from its `data` events rather than
 * its async iterator: the iterator's `read()` joins whatever chunks queued up since its last turn
 * into a new buffer, a copy of most of a 5 MB upload that the main thread's garbage collector then
 * had to account for.
 */
function chunksOf(incoming: IncomingMessage): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    const done = (error?: Error) => {
      incoming.off('data', onData).off('end', onEnd).off('error', done).off('close', onClose);
      if (error) {
        // As the async iterator did when its loop threw: the rest of the body is not read.
        incoming.destroy();
        reject(error);
      } else resolve(chunks);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.byteLength;
      if (bytes > maxBodyBytes)
        return done(
          new AppError('payload_too_large', 'The file is larger than 20 MB; nothing was imported.', {
            fields: { file: 'over 20 MB' },
          }),
        );
      chunks.push(ownBuffer(chunk));
    };
    const onEnd = () => done();
    const onClose = () => done(new Error('the request was closed before its body arrived'));
    incoming.on('data', onData).on('end', onEnd).on('error', done).on('close', onClose);
  });
}

/** `chunk` in a buffer of its own: a view on a larger buffer (Node's pool, a socket read) is copied. */
function ownBuffer(chunk: Uint8Array): Uint8Array {
  const whole = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;
  return whole && chunk.buffer instanceof ArrayBuffer ? chunk : chunk.slice();
}
