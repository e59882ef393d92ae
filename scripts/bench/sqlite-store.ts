/**
 * A Hocuspocus persistence extension on `node:sqlite`, standing in for
 * @hocuspocus/extension-sqlite (whose sqlite3 binding crashes under load on Node 24). Same table
 * and queries as that extension, same hooks as @hocuspocus/extension-database: fetch applies the
 * stored state on load, store writes the whole document state (Hocuspocus debounces the calls).
 */
import { DatabaseSync } from 'node:sqlite';
import type { Extension, onLoadDocumentPayload, onStoreDocumentPayload } from '@hocuspocus/server';
import * as Y from 'yjs';

const schema = `CREATE TABLE IF NOT EXISTS "documents" (
  "name" varchar(255) NOT NULL,
  "data" blob NOT NULL,
  UNIQUE(name)
)`;
const selectQuery = 'SELECT data FROM "documents" WHERE name = $name ORDER BY rowid DESC';
const upsertQuery =
  'INSERT INTO "documents" ("name", "data") VALUES ($name, $data) ON CONFLICT(name) DO UPDATE SET data = $data';

/** Creates the extension on a database file (created if missing). */
export function sqliteStore(file: string): Extension {
  const db = new DatabaseSync(file);
  db.exec(schema);
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
