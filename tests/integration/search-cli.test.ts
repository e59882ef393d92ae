import { createDocument, createRoom, createUser, findOrganization } from '@nordraum/db';
import { createPostgresStore } from '@nordraum/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { runCli } from '../helpers/process.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

/** A protocol stored as a running Nordraum stores it: its content only in the update log. */
async function storedProtocol(title: string, text: string) {
  const organization = await findOrganization(database.db, { code: 'SH' });
  const user = await createUser(database.db, {
    email: `${crypto.randomUUID()}@sh.example`,
    name: 'Anna Ahrens',
    organizationId: organization!.id,
    passwordHash: 'x',
    isAdmin: false,
  });
  const roomId = await createRoom(database.db, { name: 'AG KI', ownerId: user.id });
  const document = await createDocument(database.db, { roomId, kind: 'notes', title, createdBy: user.id });
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment('default').insert(0, [paragraph]);
  const store = createPostgresStore({ pool: database.pool, instanceId: 'test', announce: false });
  await store.append(document.id, Y.encodeStateAsUpdate(doc), user.id);
  await store.close();
  return document;
}

const bodyOf = async (documentId: string) =>
  (
    await database.db.execute<{ body: string }>(
      sql`select coalesce(string_agg(body, '\n' order by key), '') as body from search_entry where document_id = ${documentId} and item_id is not null`,
    )
  ).rows[0]?.body;

// Each test starts the CLI (Node, migrations): seconds on a busy two-core machine.
describe('npm run cli -- search reindex', { timeout: 90_000 }, () => {
  it('indexes every document from what is stored, with progress, and exits 0', async () => {
    const first = await storedProtocol('Sprint-Review KI', 'Sprachmodelle im Bürgerservice');
    const second = await storedProtocol('Klausur', 'Wissensgraphen für Register');
    expect(await bodyOf(first.id)).toBe('');
    const result = await runCli(['search', 'reindex'], { DATABASE_URL: database.url });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Reindexed 2 documents');
    expect(result.stderr).toContain('100 % (2/2');
    expect(await bodyOf(first.id)).toBe('Sprachmodelle im Bürgerservice');
    expect(await bodyOf(second.id)).toBe('Wissensgraphen für Register');
  });

  it('prints a usage line and exits 2 for an unknown search command', async () => {
    const result = await runCli(['search', 'rebuild'], { DATABASE_URL: database.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('search reindex');
  });
});
