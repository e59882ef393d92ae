/**
 * Hocuspocus persistence extensions on `node:sqlite`, standing in for
 * @hocuspocus/extension-sqlite (whose sqlite3 binding crashes under load on Node 24).
 *
 * - `sqliteStore`: same table and queries as that extension, same hooks as
 *   @hocuspocus/extension-database: fetch applies the stored state on load, store writes the whole
 *   document state (Hocuspocus debounces the calls: 2-10 s by default, on every change with
 *   `debounce: 0, maxDebounce: 0`).
 * - `sqliteAppendStore`: every update appended as it is applied (the `onChange` hook), as
 *   y-leveldb stores a y-websocket document; the debounced store writes the whole state and drops
 *   the updates it contains, so a load replays a short log.
 *
 * Both statements run synchronously (node:sqlite), in the microtasks that follow the update's
 * application. Hocuspocus (4.7, `flushDelay` 0) sends an update to the other clients in a
 * `setImmediate` after that, so a store on every change or an append is on disk (WAL, fsync per
 * commit with `synchronous = FULL`) before anyone else receives the edit.
 */
import { DatabaseSync } from 'node:sqlite';
import type { Extension, onChangePayload, onLoadDocumentPayload, onStoreDocumentPayload } from '@hocuspocus/server';
import * as Y from 'yjs';

const schema = `CREATE TABLE IF NOT EXISTS "documents" (
  "name" varchar(255) NOT NULL,
  "data" blob NOT NULL,
  UNIQUE(name)
)`;
const selectQuery = 'SELECT data FROM "documents" WHERE name = $name ORDER BY rowid DESC';
const upsertQuery =
  'INSERT INTO "documents" ("name", "data") VALUES ($name, $data) ON CONFLICT(name) DO UPDATE SET data = $data';

/** How the database file commits: the driver's defaults, or WAL with an fsync on every commit. */
export type Journal = 'default' | 'wal-full';

function open(file: string, journal: Journal) {
  const db = new DatabaseSync(file);
  // With WAL, `synchronous = FULL` syncs the log at every commit: an acknowledged write survives a
  // power loss, as PostgreSQL's default `synchronous_commit = on` does for Nordraum.
  if (journal === 'wal-full') db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL');
  db.exec(schema);
  return db;
}

/** Creates the whole-document extension on a database file (created if missing). */
export function sqliteStore(file: string, journal: Journal = 'default'): Extension {
  const db = open(file, journal);
  const select = db.prepare(selectQuery);
  const upsert = db.prepare(upsertQuery);
  return {
    extensionName: 'SQLite (node:sqlite)',
    async onLoadDocument({ documentName, document }: onLoadDocumentPayload) {
      const row = select.get({ name: documentName }) as { data: Uint8Array } | undefined;
      if (row) Y.applyUpdate(document, row.data);
    },
    async onStoreDocument({ documentName, document }: onStoreDocumentPayload) {
      upsert.run({ name: documentName, data: Y.encodeStateAsUpdate(document) });
    },
    async onDestroy() {
      db.close();
    },
  };
}

/** Creates the append-every-update extension on a database file (created if missing), WAL and FULL sync. */
export function sqliteAppendStore(file: string): Extension {
  const db = open(file, 'wal-full');
  db.exec(`CREATE TABLE IF NOT EXISTS "updates" (
    "id" integer PRIMARY KEY AUTOINCREMENT,
    "name" varchar(255) NOT NULL,
    "data" blob NOT NULL
  );
  CREATE INDEX IF NOT EXISTS "updates_name" ON "updates" ("name", "id")`);
  const select = db.prepare(selectQuery);
  const upsert = db.prepare(upsertQuery);
  const updates = db.prepare('SELECT data FROM "updates" WHERE name = $name ORDER BY id');
  const append = db.prepare('INSERT INTO "updates" ("name", "data") VALUES ($name, $data)');
  const lastId = db.prepare('SELECT max(id) AS id FROM "updates" WHERE name = $name');
  const drop = db.prepare('DELETE FROM "updates" WHERE name = $name AND id <= $id');
  return {
    extensionName: 'SQLite append log (node:sqlite)',
    async onLoadDocument({ documentName, document }: onLoadDocumentPayload) {
      const row = select.get({ name: documentName }) as { data: Uint8Array } | undefined;
      const log = updates.all({ name: documentName }) as { data: Uint8Array }[];
      Y.transact(document, () => {
        if (row) Y.applyUpdate(document, row.data);
        for (const entry of log) Y.applyUpdate(document, entry.data);
      });
    },
    async onChange({ documentName, update }: onChangePayload) {
      append.run({ name: documentName, data: update });
    },
    async onStoreDocument({ documentName, document }: onStoreDocumentPayload) {
      // Every update appended so far is in the document's state: one transaction writes the state
      // and drops them (an update appended later stays in the log; applying it twice is harmless).
      db.exec('BEGIN IMMEDIATE');
      try {
        const { id } = lastId.get({ name: documentName }) as { id: number | null };
        upsert.run({ name: documentName, data: Y.encodeStateAsUpdate(document) });
        if (id !== null) drop.run({ name: documentName, id });
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    async onDestroy() {
      db.close();
    },
  };
}
