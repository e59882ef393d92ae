import type { Meeting, MeetingSummary } from '@nordraum/domain';
import { and, asc, desc, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import {
  document,
  docVersion,
  type MeetingRow,
  meeting,
  meetingAgendaItem,
  meetingParticipant,
  organization,
  user,
} from '../schema.ts';

/**
 * Meetings of a room with their agenda (in `position` order) and participants. An agenda is always
 * written whole: items given with their id are kept (decisions recorded under them stay linked),
 * the others are removed, new ones added.
 */

/** An agenda item as written. */
export interface AgendaInput {
  id?: string | undefined;
  title: string;
  documentId?: string | null | undefined;
  versionId?: string | null | undefined;
  reviewId?: string | null | undefined;
}

/** What a meeting holds besides its agenda and participants. */
export interface MeetingValues {
  title: string;
  startsAt: string;
  endsAt: string | null;
  location: string;
}

export function toMeetingSummary(row: MeetingRow): MeetingSummary {
  return {
    id: row.id,
    roomId: row.roomId,
    title: row.title,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt?.toISOString() ?? null,
    location: row.location,
    minutesDocumentId: row.minutesDocumentId,
  };
}

const toTimes = (values: Partial<MeetingValues>) => ({
  ...(values.title !== undefined ? { title: values.title } : {}),
  ...(values.location !== undefined ? { location: values.location } : {}),
  ...(values.startsAt !== undefined ? { startsAt: new Date(values.startsAt) } : {}),
  ...(values.endsAt !== undefined ? { endsAt: values.endsAt === null ? null : new Date(values.endsAt) } : {}),
});

/** Creates a meeting with its agenda and participants; run in a transaction. Returns its id. */
export async function createMeeting(
  tx: Queryable,
  values: MeetingValues & { roomId: string; createdBy: string; agenda: AgendaInput[]; participantIds: string[] },
): Promise<string> {
  const [row] = await tx
    .insert(meeting)
    .values({
      roomId: values.roomId,
      createdBy: values.createdBy,
      title: values.title,
      location: values.location,
      startsAt: new Date(values.startsAt),
      endsAt: values.endsAt === null ? null : new Date(values.endsAt),
    })
    .returning({ id: meeting.id });
  await writeAgenda(tx, row!.id, values.agenda);
  await writeParticipants(tx, row!.id, values.participantIds);
  return row!.id;
}

/** Changes a meeting; time and place changes count up its revision. Run in a transaction. */
export async function updateMeeting(
  tx: Queryable,
  id: string,
  values: Partial<MeetingValues> & { agenda?: AgendaInput[] | undefined; participantIds?: string[] | undefined },
) {
  const moved = values.startsAt !== undefined || values.endsAt !== undefined || values.location !== undefined;
  await tx
    .update(meeting)
    .set({
      ...toTimes(values),
      ...(moved ? { revision: sql`${meeting.revision} + 1` } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(meeting.id, id));
  if (values.agenda) await writeAgenda(tx, id, values.agenda);
  if (values.participantIds) await writeParticipants(tx, id, values.participantIds);
}

async function writeAgenda(tx: Queryable, meetingId: string, agenda: AgendaInput[]) {
  const kept = agenda.flatMap((item) => (item.id ? [item.id] : []));
  await tx
    .delete(meetingAgendaItem)
    .where(
      and(
        eq(meetingAgendaItem.meetingId, meetingId),
        kept.length > 0 ? notInArray(meetingAgendaItem.id, kept) : undefined,
      ),
    );
  for (const [position, item] of agenda.entries()) {
    const fields = {
      position,
      title: item.title,
      documentId: item.documentId ?? null,
      versionId: item.versionId ?? null,
      reviewId: item.reviewId ?? null,
    };
    const updated = item.id
      ? await tx
          .update(meetingAgendaItem)
          .set(fields)
          .where(and(eq(meetingAgendaItem.id, item.id), eq(meetingAgendaItem.meetingId, meetingId)))
          .returning({ id: meetingAgendaItem.id })
      : [];
    // An id that is not this meeting's becomes a new item rather than moving another meeting's.
    if (updated.length === 0) await tx.insert(meetingAgendaItem).values({ meetingId, ...fields });
  }
}

async function writeParticipants(tx: Queryable, meetingId: string, userIds: string[]) {
  await tx.delete(meetingParticipant).where(eq(meetingParticipant.meetingId, meetingId));
  const unique = [...new Set(userIds)];
  if (unique.length > 0) await tx.insert(meetingParticipant).values(unique.map((userId) => ({ meetingId, userId })));
}

/** One meeting's row. */
export async function findMeetingRow(db: Queryable, id: string) {
  const [row] = await db.select().from(meeting).where(eq(meeting.id, id));
  return row;
}

/** A room's meetings, the newest first. */
export async function listMeetings(db: Queryable, roomId: string): Promise<MeetingSummary[]> {
  const rows = await db.select().from(meeting).where(eq(meeting.roomId, roomId)).orderBy(desc(meeting.startsAt));
  return rows.map(toMeetingSummary);
}

/** Participants of a meeting with organisation and e-mail address, by name. */
export function listParticipants(db: Queryable, meetingId: string) {
  return db
    .select({
      id: user.id,
      name: user.name,
      email: user.email,
      organization: { code: organization.code, name: organization.name },
    })
    .from(meetingParticipant)
    .innerJoin(user, eq(user.id, meetingParticipant.userId))
    .innerJoin(organization, eq(organization.id, user.organizationId))
    .where(eq(meetingParticipant.meetingId, meetingId))
    .orderBy(asc(user.name));
}

/** A meeting as the API shows it, or undefined. */
export async function loadMeeting(db: Queryable, id: string): Promise<Meeting | undefined> {
  const row = await findMeetingRow(db, id);
  if (!row) return undefined;
  const agenda = await db
    .select({
      id: meetingAgendaItem.id,
      position: meetingAgendaItem.position,
      title: meetingAgendaItem.title,
      documentId: meetingAgendaItem.documentId,
      documentTitle: document.title,
      versionId: meetingAgendaItem.versionId,
      versionName: docVersion.name,
      reviewId: meetingAgendaItem.reviewId,
    })
    .from(meetingAgendaItem)
    .leftJoin(document, eq(document.id, meetingAgendaItem.documentId))
    .leftJoin(docVersion, eq(docVersion.id, meetingAgendaItem.versionId))
    .where(eq(meetingAgendaItem.meetingId, id))
    .orderBy(asc(meetingAgendaItem.position));
  const participants = (await listParticipants(db, id)).map(({ email: _email, ...person }) => person);
  return { ...toMeetingSummary(row), agenda, participants, createdAt: row.createdAt.toISOString() };
}

/** Links the minutes document, unless the meeting has one already; returns whether it did. */
export async function setMinutesDocument(tx: Queryable, meetingId: string, documentId: string): Promise<boolean> {
  const rows = await tx
    .update(meeting)
    .set({ minutesDocumentId: documentId, updatedAt: sql`now()` })
    .where(and(eq(meeting.id, meetingId), isNull(meeting.minutesDocumentId)))
    .returning({ id: meeting.id });
  return rows.length > 0;
}

/** Which of `documentIds` are documents of the room, with their kind and archive state. */
export async function documentsInRoom(db: Queryable, roomId: string, documentIds: string[]) {
  if (documentIds.length === 0) return new Map<string, { kind: string; archived: boolean }>();
  const rows = await db
    .select({ id: document.id, kind: document.kind, archivedAt: document.archivedAt })
    .from(document)
    .where(and(inArray(document.id, documentIds), eq(document.roomId, roomId)));
  return new Map(rows.map((row) => [row.id, { kind: row.kind as string, archived: row.archivedAt !== null }]));
}

/** The document each of `versionIds` belongs to, for versions of documents in the room. */
export async function versionDocuments(db: Queryable, roomId: string, versionIds: string[]) {
  if (versionIds.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: docVersion.id, documentId: docVersion.documentId })
    .from(docVersion)
    .innerJoin(document, eq(document.id, docVersion.documentId))
    .where(and(inArray(docVersion.id, versionIds), eq(document.roomId, roomId)));
  return new Map(rows.map((row) => [row.id, row.documentId]));
}

/** Whether an agenda item belongs to the meeting. */
export async function agendaItemOf(db: Queryable, meetingId: string, itemId: string): Promise<boolean> {
  const rows = await db
    .select({ id: meetingAgendaItem.id })
    .from(meetingAgendaItem)
    .where(and(eq(meetingAgendaItem.id, itemId), eq(meetingAgendaItem.meetingId, meetingId)));
  return rows.length > 0;
}
