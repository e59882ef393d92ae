import {
  createDocument,
  createRoom,
  createUser,
  type Database,
  findDocumentWithRoom,
  findOrganization,
  type Queryable,
} from '@nordraum/db';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

// The database and a transaction on it are both Drizzle's PgDatabase. Functions that prepare a
// statement once per database (findDocumentWithRoom, the session lookups) take `Database`, which
// only the database itself is: a transaction passed to them is a type error, not a quiet second
// preparation on the transaction's connection.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

async function personWithDocument() {
  const sh = (await findOrganization(database.db, { code: 'SH' }))!;
  const person = await createUser(database.db, {
    email: `anna.${Date.now()}@sh.example`,
    name: 'Anna Ahrens',
    organizationId: sh.id,
    passwordHash: 'unused',
    isAdmin: false,
  });
  const roomId = await createRoom(database.db, { name: 'AG Register', ownerId: person.id });
  const document = await createDocument(database.db, {
    roomId,
    kind: 'notes',
    title: 'Protokoll',
    createdBy: person.id,
  });
  return { viewer: { userId: person.id, organizationId: sh.id, isAdmin: false }, documentId: document.id };
}

describe('the database and its transactions', () => {
  it('a transaction runs queries like the database but has no pool behind it', async () => {
    expect(database.db.$client).toBe(database.pool);
    await database.db.transaction(async (tx) => {
      expect('$client' in tx).toBe(false);
      expectTypeOf(tx).toExtend<Queryable>();
      expectTypeOf(tx).not.toExtend<Database>();
    });
  });

  it('finds a document with the role of its reader on the database; a transaction does not type-check', async () => {
    const { viewer, documentId } = await personWithDocument();
    const found = await findDocumentWithRoom(database.db, documentId, viewer);
    expect(found?.document.id).toBe(documentId);
    expect(found?.room.role).toBe('owner');
    // Asked again it uses the statement prepared the first time, with other values.
    expect(await findDocumentWithRoom(database.db, crypto.randomUUID(), viewer)).toBeUndefined();
    await database.db.transaction(async (tx) => {
      // @ts-expect-error a transaction is not the database: the statement is prepared per database
      const inTransaction = () => findDocumentWithRoom(tx, documentId, viewer);
      expectTypeOf(inTransaction).toBeFunction();
    });
  });
});
