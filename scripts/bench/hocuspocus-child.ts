/**
 * Child process: @hocuspocus/server with its defaults (debounced store, unload when the last
 * client leaves), in memory or, given a file argument, persisted to SQLite. Listens on 127.0.0.1
 * and an ephemeral port and prints `{"port":N}`; stops on SIGTERM.
 */
import { Server } from '@hocuspocus/server';
import { sqliteStore } from './sqlite-store.ts';

const file = process.argv[2];
const server = new Server({
  port: 0,
  address: '127.0.0.1',
  quiet: true,
  extensions: file ? [sqliteStore(file)] : [],
});
await server.listen();
console.log(JSON.stringify({ port: server.address.port }));
