/**
 * Child process: @hocuspocus/server (unload when the last client leaves), in memory or, given a
 * file argument, persisted to SQLite in one of three ways (second argument):
 * - `debounced` (default): Hocuspocus' defaults, the whole document stored 2-10 s after a change;
 * - `every-change`: `debounce: 0, maxDebounce: 0`, the whole document stored on every change;
 * - `append`: every update appended to a log as it is applied, the whole document stored (and the
 *   log trimmed) with the default debounce.
 * Listens on 127.0.0.1 and an ephemeral port and prints `{"port":N}`; stops on SIGTERM.
 */
import { Server } from '@hocuspocus/server';
import { sqliteAppendStore, sqliteStore } from './sqlite-store.ts';

const [file, mode = 'debounced'] = process.argv.slice(2);
const modes = {
  debounced: () => ({ extensions: [sqliteStore(file!)] }),
  'every-change': () => ({ extensions: [sqliteStore(file!, 'wal-full')], debounce: 0, maxDebounce: 0 }),
  append: () => ({ extensions: [sqliteAppendStore(file!)] }),
};
if (!(mode in modes)) throw new Error(`unknown mode ${mode}; one of ${Object.keys(modes).join(', ')}`);
const server = new Server({
  port: 0,
  address: '127.0.0.1',
  quiet: true,
  ...(file ? modes[mode as keyof typeof modes]() : { extensions: [] }),
});
await server.listen();
console.log(JSON.stringify({ port: server.address.port }));
