import type { ValidSession } from '@nordraum/auth';
import {
  type AgendaInput,
  createDocument,
  createMeeting,
  type Database,
  documentsInRoom,
  filterRoomReaders,
  findMeetingRow,
  findUserById,
  listMeetings,
  listParticipants,
  listRoomReaders,
  loadMeeting,
  setMinutesDocument,
  updateMeeting,
  versionDocuments,
} from '@nordraum/db';
import {
  type Action,
  AppError,
  attachmentDisposition,
  commentSchemas,
  downloadFileName,
  type Meeting,
  meetingSchemas,
  meetingToICalendar,
  minutesState,
  schemas,
} from '@nordraum/domain';
import { Hono } from 'hono';
import { z } from 'zod';
import { audited, authorizeRoom } from '../http/access.ts';
import { contentWritten } from '../http/content-written.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireSession } from '../http/session.ts';

/**
 * Meetings (Sitzungen) of a room: read by every member, managed by editors and owners. The
 * minutes are an ordinary notes document of the room, made once from the agenda and then
 * co-edited live like any protocol.
 */

const denied = { 403: schemas.errorBody, 404: schemas.errorBody };
const meetingResponse = z.object({ meeting: meetingSchemas.meeting });

/** Loads a meeting and checks `action` on its room; a meeting of a room one may not see is not found. */
async function authorizeMeeting(db: Database, session: ValidSession, meetingId: string, action: Action) {
  const row = await findMeetingRow(db, meetingId);
  if (!row) throw new AppError('not_found', 'Meeting not found.');
  try {
    return { row, room: await authorizeRoom(db, session, row.roomId, action) };
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') throw new AppError('not_found', 'Meeting not found.');
    throw error;
  }
}

/**
 * Checks that the agenda's documents and versions are the room's and that participants may read
 * it; an item with a version but no document gets the version's document.
 */
async function checkMeeting(
  db: Database,
  roomId: string,
  body: {
    agenda?: AgendaInput[] | undefined;
    participantIds?: string[] | undefined;
    startsAt?: string;
    endsAt?: string | null | undefined;
  },
) {
  const fields: Record<string, string> = {};
  const agenda = body.agenda ?? [];
  const documents = await documentsInRoom(
    db,
    roomId,
    agenda.flatMap((item) => (item.documentId ? [item.documentId] : [])),
  );
  const versions = await versionDocuments(
    db,
    roomId,
    agenda.flatMap((item) => (item.versionId ? [item.versionId] : [])),
  );
  for (const [index, item] of agenda.entries()) {
    if (item.documentId && !documents.has(item.documentId))
      fields[`agenda.${index}.documentId`] = 'not a document of this room';
    if (item.versionId) {
      const of = versions.get(item.versionId);
      if (!of || (item.documentId && of !== item.documentId))
        fields[`agenda.${index}.versionId`] = 'not a version of this document';
      else item.documentId = of;
    }
  }
  const participantIds = body.participantIds ?? [];
  const readers = await filterRoomReaders(db, roomId, participantIds);
  for (const [index, id] of participantIds.entries())
    if (!readers.has(id)) fields[`participantIds.${index}`] = 'not someone who may read this room';
  if (body.startsAt && body.endsAt && new Date(body.endsAt) < new Date(body.startsAt))
    fields.endsAt = 'must not be before the start';
  if (Object.keys(fields).length > 0) throw new AppError('validation_failed', 'Some fields are not valid.', { fields });
}

const berlin = (iso: string, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', ...options }).format(new Date(iso));

/** The line above the minutes' agenda: when, where, who. */
function preambleOf(meeting: Meeting): string {
  const when = `${berlin(meeting.startsAt, { dateStyle: 'medium' })}, ${berlin(meeting.startsAt, { timeStyle: 'short' })} Uhr`;
  const who = meeting.participants.map((person) => `${person.name} (${person.organization.code})`).join(', ');
  return [`Sitzung am ${when}`, meeting.location && `Ort: ${meeting.location}`, who && `Teilnehmende: ${who}`]
    .filter(Boolean)
    .join('. ');
}

/** The meeting routes (mounted under /api). */
export function meetingRoutes(deps: AppDependencies) {
  const { db, publicOrigin } = deps;
  const app = new Hono<AppEnv>();

  app.get(
    '/rooms/:roomId/meetings',
    describe("A room's meetings, the newest first", 'meetings', {
      200: z.object({ meetings: z.array(meetingSchemas.meetingSummary) }),
      ...denied,
    }),
    valid('param', schemas.roomIdParam),
    async (c) => {
      const { roomId } = c.req.valid('param');
      await authorizeRoom(db, requireSession(c), roomId, 'meeting.read');
      return c.json({ meetings: await listMeetings(db, roomId) }, 200);
    },
  );

  app.get(
    '/rooms/:roomId/people',
    describe('Everyone who may read the room (participants and action owners are chosen from them)', 'meetings', {
      200: z.object({ people: z.array(commentSchemas.mentionCandidate) }),
      ...denied,
    }),
    valid('param', schemas.roomIdParam),
    async (c) => {
      const { roomId } = c.req.valid('param');
      await authorizeRoom(db, requireSession(c), roomId, 'meeting.read');
      return c.json({ people: await listRoomReaders(db, roomId) }, 200);
    },
  );

  app.post(
    '/rooms/:roomId/meetings',
    describe('Create a meeting with its agenda; participants default to the creator', 'meetings', {
      201: meetingResponse,
      ...denied,
    }),
    valid('param', schemas.roomIdParam),
    valid('json', meetingSchemas.createMeetingBody),
    async (c) => {
      const session = requireSession(c);
      const { roomId } = c.req.valid('param');
      await authorizeRoom(db, session, roomId, 'meeting.manage');
      const body = c.req.valid('json');
      const participantIds = body.participantIds ?? [session.user.id];
      await checkMeeting(db, roomId, { ...body, participantIds });
      const id = await audited(
        db,
        c,
        (tx) =>
          createMeeting(tx, {
            roomId,
            title: body.title,
            startsAt: body.startsAt,
            endsAt: body.endsAt ?? null,
            location: body.location ?? '',
            agenda: body.agenda,
            participantIds,
            createdBy: session.user.id,
          }),
        (created) => ({
          action: 'meeting.create',
          targetType: 'meeting',
          targetId: created,
          roomId,
          details: { title: body.title, startsAt: body.startsAt },
        }),
      );
      return c.json({ meeting: (await loadMeeting(db, id))! }, 201);
    },
  );

  app.get(
    '/meetings/:meetingId',
    describe('A meeting with its agenda and participants, and the caller’s role in its room', 'meetings', {
      200: meetingResponse.extend({ room: schemas.room.pick({ id: true, name: true, role: true }) }),
      ...denied,
    }),
    valid('param', meetingSchemas.meetingIdParam),
    async (c) => {
      const { meetingId } = c.req.valid('param');
      const { room } = await authorizeMeeting(db, requireSession(c), meetingId, 'meeting.read');
      const meeting = (await loadMeeting(db, meetingId))!;
      return c.json({ meeting, room: { id: room.id, name: room.name, role: room.role } }, 200);
    },
  );

  app.patch(
    '/meetings/:meetingId',
    describe('Change a meeting: time, place, title, the whole agenda or the participants', 'meetings', {
      200: meetingResponse,
      ...denied,
    }),
    valid('param', meetingSchemas.meetingIdParam),
    valid('json', meetingSchemas.updateMeetingBody),
    async (c) => {
      const { meetingId } = c.req.valid('param');
      const { row } = await authorizeMeeting(db, requireSession(c), meetingId, 'meeting.manage');
      const body = c.req.valid('json');
      const startsAt = body.startsAt ?? row.startsAt.toISOString();
      const endsAt = body.endsAt === undefined ? row.endsAt?.toISOString() : body.endsAt;
      await checkMeeting(db, row.roomId, { ...body, startsAt, endsAt });
      await audited(
        db,
        c,
        (tx) => updateMeeting(tx, meetingId, { ...body, endsAt: body.endsAt }),
        () => ({
          action: 'meeting.update',
          targetType: 'meeting',
          targetId: meetingId,
          roomId: row.roomId,
          details: { fields: Object.keys(body) },
        }),
      );
      return c.json({ meeting: (await loadMeeting(db, meetingId))! }, 200);
    },
  );

  app.post(
    '/meetings/:meetingId/minutes',
    describe('Make the minutes: a notes document with one heading per agenda item (once)', 'meetings', {
      201: meetingResponse,
      ...denied,
      409: schemas.errorBody,
    }),
    valid('param', meetingSchemas.meetingIdParam),
    async (c) => {
      const session = requireSession(c);
      const { meetingId } = c.req.valid('param');
      const { row } = await authorizeMeeting(db, session, meetingId, 'meeting.manage');
      await authorizeRoom(db, session, row.roomId, 'document.create');
      const meeting = (await loadMeeting(db, meetingId))!;
      if (meeting.minutesDocumentId) throw new AppError('conflict', 'This meeting has minutes already.');
      const title = `Protokoll: ${meeting.title}`.slice(0, 200);
      const state = minutesState({ preamble: preambleOf(meeting), agenda: meeting.agenda });
      const minutes = await audited(
        db,
        c,
        async (tx) => {
          const document = await createDocument(
            tx,
            { roomId: row.roomId, kind: 'notes', title, createdBy: session.user.id },
            state,
          );
          if (!(await setMinutesDocument(tx, meetingId, document.id)))
            throw new AppError('conflict', 'This meeting has minutes already.');
          return document;
        },
        (document) => [
          {
            action: 'document.create',
            targetType: 'document',
            targetId: document.id,
            roomId: row.roomId,
            details: { kind: 'notes' },
          },
          {
            action: 'meeting.minutes',
            targetType: 'meeting',
            targetId: meetingId,
            roomId: row.roomId,
            details: { documentId: document.id },
          },
        ],
      );
      contentWritten(deps, minutes.id);
      return c.json({ meeting: (await loadMeeting(db, meetingId))! }, 201);
    },
  );

  app.get(
    '/meetings/:meetingId/invitation.ics',
    describe('The invitation to a meeting as iCalendar (text/calendar)', 'meetings', { 200: null, ...denied }),
    valid('param', meetingSchemas.meetingIdParam),
    async (c) => {
      const { meetingId } = c.req.valid('param');
      const { row, room } = await authorizeMeeting(db, requireSession(c), meetingId, 'meeting.read');
      const meeting = (await loadMeeting(db, meetingId))!;
      const organizer = row.createdBy ? await findUserById(db, row.createdBy) : undefined;
      const body = meetingToICalendar({
        id: meeting.id,
        title: meeting.title,
        startsAt: meeting.startsAt,
        endsAt: meeting.endsAt,
        location: meeting.location,
        agenda: meeting.agenda.map((item) => item.title),
        organizer: organizer ? { name: organizer.name, email: organizer.email } : null,
        attendees: (await listParticipants(db, meetingId)).map(({ name, email }) => ({ name, email })),
        sequence: row.revision,
        url: `${publicOrigin}/meetings/${meeting.id}`,
      });
      return c.body(body, 200, {
        'content-type': 'text/calendar; charset=utf-8',
        'content-disposition': attachmentDisposition(
          downloadFileName([meeting.title, room.name, meeting.startsAt.slice(0, 10)], 'ics'),
        ),
        'cache-control': 'private, no-store',
      });
    },
  );

  return app;
}
