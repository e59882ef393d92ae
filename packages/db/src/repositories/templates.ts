import type { DocumentKind } from '@nordraum/domain';
import { asc, eq, or } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { documentTemplate } from '../schema.ts';

/** What a saved template is made of; the state is one Yjs update. */
export interface NewTemplate {
  name: string;
  kind: DocumentKind;
  scope: 'global' | 'room';
  roomId: string | null;
  state: Uint8Array;
  sourceDocumentId: string;
  createdBy: string;
}

const listed = {
  id: documentTemplate.id,
  name: documentTemplate.name,
  kind: documentTemplate.kind,
  scope: documentTemplate.scope,
  roomId: documentTemplate.roomId,
};

/** Saves a template. */
export async function createTemplate(db: Queryable, values: NewTemplate) {
  const [row] = await db.insert(documentTemplate).values(values).returning(listed);
  return row!;
}

/** The templates for everyone, and those of `roomId` when given; by name. */
export function listTemplates(db: Queryable, roomId: string | null) {
  const scope = roomId
    ? or(eq(documentTemplate.scope, 'global'), eq(documentTemplate.roomId, roomId))
    : eq(documentTemplate.scope, 'global');
  return db
    .select(listed)
    .from(documentTemplate)
    .where(scope)
    .orderBy(asc(documentTemplate.scope), asc(documentTemplate.name));
}

/** One template without its content, or undefined. */
export async function findTemplate(db: Queryable, id: string) {
  const [row] = await db.select(listed).from(documentTemplate).where(eq(documentTemplate.id, id));
  return row;
}

/** A template's content, or undefined. */
export async function readTemplateState(db: Queryable, id: string): Promise<Uint8Array | undefined> {
  const [row] = await db
    .select({ state: documentTemplate.state })
    .from(documentTemplate)
    .where(eq(documentTemplate.id, id));
  return row?.state;
}

/** Deletes a template; whether there was one. */
export async function deleteTemplate(db: Queryable, id: string): Promise<boolean> {
  const rows = await db
    .delete(documentTemplate)
    .where(eq(documentTemplate.id, id))
    .returning({ id: documentTemplate.id });
  return rows.length > 0;
}
