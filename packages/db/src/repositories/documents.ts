import type { DocumentKind, DocumentMeta } from '@nordraum/domain';
import { and, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { type DocumentRow, docUpdate, document } from '../schema.ts';

/** The API's view of a document's metadata. */
export function toDocumentMeta(row: DocumentRow): DocumentMeta {
  return {
    id: row.id,
    roomId: row.roomId,
    kind: row.kind,
    title: row.title,
    archived: row.archivedAt !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Creates a document's metadata; its content is a Y.Doc kept by the sync layer. `initialState`
 * (a Yjs update, e.g. a roadmap's themes) becomes the first entry of its log in the same
 * transaction, so no client has to write structure when it first opens the document.
 */
export async function createDocument(
  db: Queryable,
  values: { roomId: string; kind: DocumentKind; title: string; createdBy: string },
  initialState?: Uint8Array,
) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(document)
      .values({ ...values, updateSeq: initialState ? 1 : 0 })
      .returning();
    if (initialState) {
      await tx
        .insert(docUpdate)
        .values({ documentId: row!.id, seq: 1, update: initialState, userId: values.createdBy });
    }
    return row!;
  });
}

/** A room's documents, newest change first; archived ones only when asked. */
export function listDocuments(db: Queryable, roomId: string, options: { archived?: boolean } = {}) {
  const archived = options.archived ? isNotNull(document.archivedAt) : isNull(document.archivedAt);
  return db
    .select()
    .from(document)
    .where(and(eq(document.roomId, roomId), archived))
    .orderBy(desc(document.updatedAt));
}

/** One document's metadata. */
export async function findDocument(db: Queryable, id: string) {
  const [row] = await db.select().from(document).where(eq(document.id, id));
  return row;
}

/** Renames, archives or restores a document. */
export async function updateDocument(db: Queryable, id: string, changes: { title?: string; archived?: boolean }) {
  const { archived, ...rest } = changes;
  const [row] = await db
    .update(document)
    .set({
      ...rest,
      ...(archived === undefined ? {} : { archivedAt: archived ? sql`coalesce(${document.archivedAt}, now())` : null }),
      updatedAt: sql`now()`,
    })
    .where(eq(document.id, id))
    .returning();
  return row;
}
