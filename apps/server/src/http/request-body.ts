import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { AppError } from '@nordraum/domain';
import type { Context } from 'hono';
import type { AppEnv } from './context.ts';

/**
 * An upload's body written to a file of its own as it arrives, for the export render process to
 * read (import/upload-form.ts): the main thread never holds more of it than the chunks being
 * written. Each chunk is freed once written, not at the next collection: V8 adds the memory of
 * buffers allocated since its last full collection to the old generation's size, and under the
 * server's `--optimize-for-size` that generation's limit sits only 2 to 3 MB above what lived
 * after the last one. A 5 MB upload kept in memory until it was complete therefore started a full
 * collection of the main thread's heap during nearly every import (2 to 8 ms of pause, at times
 * 17, and marking steps of up to 13 ms, while live editing waited).
 *
 * Each file is in a directory of its own under the system's temporary directory (mode 0700, the
 * file 0600), removed once its job is done, however it ends. A process killed meanwhile leaves its
 * directory behind: the next start removes it (`removeLeftUploads`).
 */

/** An upload directory's name: the prefix, the process that writes it, and mkdtemp's six characters. */
const uploadPrefix = 'nordraum-upload-';
const uploadDirectory = /^nordraum-upload-(\d+)-[A-Za-z0-9]{6}$/;

/** The most bytes read here: the import routes' body limit (body-limit.ts) checked the declared length already. */
const maxBodyBytes = 21 * 1024 * 1024;

/**
 * Writes the request's body to a new file and runs `use` with its path; the file is removed once
 * `use` settles. 413 past 21 MB, as the body limit. A request that did not come through Node's
 * server (the in-process API) or whose body was read already is written from one buffer.
 */
export async function withSpooledBody<T>(c: Context<AppEnv>, use: (path: string) => Promise<T>): Promise<T> {
  // A directory per upload: one made at start could be cleared away by the system's tmp cleaning.
  const directory = await mkdtemp(join(tmpdir(), `${uploadPrefix}${process.pid}-`));
  const path = join(directory, 'body');
  try {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const own =
      incoming !== undefined &&
      !incoming.readableDidRead &&
      incoming.method === c.req.method &&
      incoming.url?.split('?')[0] === c.req.path;
    if (own) await spoolBody(incoming, path);
    else await writeFile(path, new Uint8Array(await c.req.arrayBuffer()), { flag: 'wx', mode: 0o600 });
    return await use(path);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * Removes the upload directories left in `directory` by processes that no longer run: a file
 * someone uploaded stays on disk no longer than until the next start after a crash. This
 * process's own number counts as gone too: nothing of it is there yet when it starts, and a server
 * restarted in a container often gets the number of the one that was killed. Returns how many it
 * removed.
 */
export async function removeLeftUploads(directory: string = tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(directory)) {
    const pid = Number(uploadDirectory.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isSafeInteger(pid) || (pid !== process.pid && running(pid))) continue;
    await rm(join(directory, name), { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

/** Whether process `pid` exists (one of another user's exists too: EPERM). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes `incoming`'s body to `path` (a new file), chunk by chunk as its socket delivers them:
 * reading pauses while the file is behind, so the socket waits rather than this thread's memory.
 */
function spoolBody(incoming: IncomingMessage, path: string): Promise<number> {
  const file = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let settled = false;
    const done = (error?: Error) => {
      if (settled) return;
      settled = true;
      incoming.off('data', onData).off('end', onEnd).off('error', done).off('close', onClose);
      file.off('error', done).off('drain', onDrain);
      if (error) {
        // As the async iterator did when its loop threw: the rest of the body is not read.
        incoming.destroy();
        file.destroy();
        reject(error);
      } else {
        // Writes still under way fail here (a full disk): as a rejection, not as an 'error'
        // event nobody listens to any more, which would end the server.
        file.end();
        finished(file).then(() => resolve(bytes), reject);
      }
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.byteLength;
      if (bytes > maxBodyBytes)
        return done(
          new AppError('payload_too_large', 'The file is larger than 20 MB; nothing was imported.', {
            fields: { file: 'over 20 MB' },
          }),
        );
      if (!file.write(chunk, () => release(chunk))) incoming.pause();
    };
    const onDrain = () => incoming.resume();
    const onEnd = () => done();
    const onClose = () => done(new Error('the request was closed before its body arrived'));
    file.on('error', done).on('drain', onDrain);
    incoming.on('data', onData).on('end', onEnd).on('error', done).on('close', onClose);
  });
}

/**
 * Frees a written chunk at once when it is its buffer's only view (Node's HTTP parser copies each
 * piece of a body into a buffer of its own); a view on a shared buffer is left to the collector.
 */
function release(chunk: Uint8Array) {
  const { buffer } = chunk;
  const whole = chunk.byteOffset === 0 && chunk.byteLength === buffer.byteLength;
  if (whole && buffer instanceof ArrayBuffer && !buffer.detached) buffer.transfer(0);
}
