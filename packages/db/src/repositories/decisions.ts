import { AppError, type Decision, type DecisionQuery, decisionNumber } from '@nordraum/domain';
import { and, asc, desc, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { type DecisionRow, decision, decisionCounter, document, docVersion, type PendingFollowUp } from '../schema.ts';
import { lockActionLists } from './follow-ups.ts';

/**
 * The decision register. Invariants: a decision's number is `seq` of its room and year, taken from
 * `decision_counter` in the transaction that inserts it, so numbers are unique and gap-free even
 * when many record at once (they queue on the counter row; a failed transaction gives its number
 * back). Rows are never deleted; the only later change is being superseded, once.
 */

/** What a new decision holds; number and year are given here. */
export interface NewDecision {
  roomId: string;
  date: string;
  title: string;
  text: string;
  status: DecisionRow['status'];
  meetingId: string | null;
  agendaItemId: string | null;
  versionIds: string[];
  /** The planned edits of the action lists; written after the commit (see follow-ups.ts). */
  pendingFollowUps: PendingFollowUp[];
  supersedes: string | null;
  createdBy: string;
}

/** A linked version as the register shows it (see {@link linkedVersions}). */
export type LinkedVersion = Decision['versions'][number];

/** The API's view of a decision; `versions` names the linked versions (see {@link linkedVersions}). */
export function toDecision(
  row: Omit<DecisionRow, 'roomId' | 'year' | 'seq' | 'createdBy'>,
  versions: ReadonlyMap<string, LinkedVersion> = new Map(),
): Decision {
  return {
    id: row.id,
    number: row.number,
    date: row.date,
    title: row.title,
    text: row.text,
    status: row.status,
    meetingId: row.meetingId,
    agendaItemId: row.agendaItemId,
    versionIds: row.versionIds,
    versions: row.versionIds.flatMap((id) => versions.get(id) ?? []),
    actionIds: row.actions.map((action) => action.itemId),
    actions: row.actions,
    pendingActions: row.pendingFollowUps.reduce((sum, entry) => sum + entry.itemIds.length, 0),
    supersedes: row.supersedes,
    supersededBy: row.supersededBy,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Takes the next number of a room's year; call inside the transaction that inserts the decision. */
async function nextSeq(tx: Queryable, roomId: string, year: number): Promise<number> {
  const [row] = await tx
    .insert(decisionCounter)
    .values({ roomId, year, last: 1 })
    .onConflictDoUpdate({
      target: [decisionCounter.roomId, decisionCounter.year],
      set: { last: sql`${decisionCounter.last} + 1` },
    })
    .returning({ last: decisionCounter.last });
  return row!.last;
}

/**
 * Records a decision; run it in a transaction (see {@link nextSeq}). When it supersedes another,
 * that one becomes `aufgehoben` and links here; a decision superseded already answers `conflict`.
 */
export async function recordDecision(tx: Queryable, values: NewDecision) {
  await lockActionLists(
    tx,
    values.roomId,
    values.pendingFollowUps.map((entry) => entry.listId),
  );
  const year = Number(values.date.slice(0, 4));
  const seq = await nextSeq(tx, values.roomId, year);
  const [row] = await tx
    .insert(decision)
    .values({ ...values, year, seq, number: decisionNumber(year, seq) })
    .returning();
  if (values.supersedes) {
    const replaced = await tx
      .update(decision)
      .set({ status: 'aufgehoben', supersededBy: row!.id })
      .where(and(eq(decision.id, values.supersedes), eq(decision.roomId, values.roomId), isNull(decision.supersededBy)))
      .returning({ id: decision.id, number: decision.number });
    // Thrown inside the transaction: the number taken above is given back.
    if (replaced.length === 0) throw new AppError('conflict', 'That decision is already superseded.');
    return { decision: row!, superseded: replaced[0]! };
  }
  return { decision: row!, superseded: null };
}

/** One decision of a room. */
export async function findDecision(db: Queryable, roomId: string, id: string) {
  const [row] = await db
    .select()
    .from(decision)
    .where(and(eq(decision.id, id), eq(decision.roomId, roomId)));
  return row;
}

/** What the register shows of a decision: everything but bookkeeping (room, year, sequence, author). */
const registerColumns = {
  id: decision.id,
  number: decision.number,
  date: decision.date,
  title: decision.title,
  text: decision.text,
  status: decision.status,
  meetingId: decision.meetingId,
  agendaItemId: decision.agendaItemId,
  versionIds: decision.versionIds,
  actions: decision.actions,
  pendingFollowUps: decision.pendingFollowUps,
  supersedes: decision.supersedes,
  supersededBy: decision.supersededBy,
  createdAt: decision.createdAt,
};

/** A room's decisions, newest number first, filtered by year, status, meeting and text. */
export function listDecisions(db: Queryable, roomId: string, query: DecisionQuery = {}) {
  const conditions = [eq(decision.roomId, roomId)];
  if (query.year !== undefined) conditions.push(eq(decision.year, query.year));
  if (query.status) conditions.push(eq(decision.status, query.status));
  if (query.meetingId) conditions.push(eq(decision.meetingId, query.meetingId));
  if (query.q?.trim()) {
    const pattern = `%${query.q.trim().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    conditions.push(
      or(ilike(decision.number, pattern), ilike(decision.title, pattern), ilike(decision.text, pattern))!,
    );
  }
  return db
    .select(registerColumns)
    .from(decision)
    .where(and(...conditions))
    .orderBy(desc(decision.year), desc(decision.seq));
}

/** The years a room has decisions in, newest first (for the register's year filter). */
export async function listDecisionYears(db: Queryable, roomId: string): Promise<number[]> {
  const rows = await db
    .selectDistinct({ year: decision.year })
    .from(decision)
    .where(eq(decision.roomId, roomId))
    .orderBy(desc(decision.year));
  return rows.map((row) => row.year);
}

/** The versions these decisions link, with their document's title, by version id. */
export async function linkedVersions(
  db: Queryable,
  rows: readonly { versionIds: string[] }[],
): Promise<Map<string, LinkedVersion>> {
  const ids = [...new Set(rows.flatMap((row) => row.versionIds))];
  if (ids.length === 0) return new Map();
  const found = await db
    .select({
      id: docVersion.id,
      documentId: docVersion.documentId,
      documentTitle: document.title,
      kind: docVersion.kind,
      name: docVersion.name,
      createdAt: docVersion.createdAt,
    })
    .from(docVersion)
    .innerJoin(document, eq(document.id, docVersion.documentId))
    .where(inArray(docVersion.id, ids));
  return new Map(found.map((row) => [row.id, { ...row, createdAt: row.createdAt.toISOString() }]));
}

/** Numbers of decisions by id (to show what supersedes what). */
export async function decisionNumbers(db: Queryable, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: decision.id, number: decision.number })
    .from(decision)
    .where(inArray(decision.id, ids))
    .orderBy(asc(decision.number));
  return new Map(rows.map((row) => [row.id, row.number]));
}
