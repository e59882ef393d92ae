import {
  agendaItemOf,
  type Database,
  decisionNumbers,
  documentsInRoom,
  filterRoomReaders,
  findDecision,
  findMeetingRow,
  linkedVersions,
  listDecisions,
  listDecisionYears,
  listMeetings,
  type PendingFollowUp,
  recordDecision,
  toDecision,
  versionDocuments,
} from '@nordraum/db';
import {
  AppError,
  attachmentDisposition,
  can,
  type DecisionQuery,
  decisionsToCsv,
  downloadFileName,
  exportHeading,
  followUpUpdate,
  meetingSchemas,
  schemas,
} from '@nordraum/domain';
import type { SyncServer } from '@nordraum/sync';
import { Hono } from 'hono';
import { z } from 'zod';
import { sharedRenderPool } from '../export/render-pool.ts';
import { writeFollowUps } from '../follow-ups.ts';
import { audit, audited, authorizeRoom } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireSession } from '../http/session.ts';

/**
 * The decision register of a room: read by every member, recorded by editors and owners. A
 * decision's follow-up actions are checked first (live action lists of the room the recorder may
 * write, owners who may read the room, valid days), planned as edits of the lists, and committed
 * with the decision as pending; then written into the lists as server edits (every connected
 * client receives them live) and only then linked. A write that fails stays pending and is
 * written on the next start (see follow-ups.ts), so a decision never links an action that is not there.
 */

const denied = { 403: schemas.errorBody, 404: schemas.errorBody };
type Body = meetingSchemas.CreateDecisionBody;

const invalid = (fields: Record<string, string>) =>
  new AppError('validation_failed', 'Some fields are not valid.', { fields });

/** Checks that everything a new decision points at belongs to the room. */
async function checkLinks(db: Database, roomId: string, body: Body) {
  const fields: Record<string, string> = {};
  if (body.meetingId) {
    const meeting = await findMeetingRow(db, body.meetingId);
    if (meeting?.roomId !== roomId) fields.meetingId = 'not a meeting of this room';
  }
  if (body.agendaItemId && (!body.meetingId || !(await agendaItemOf(db, body.meetingId, body.agendaItemId))))
    fields.agendaItemId = 'not an agenda item of this meeting';
  const versions = await versionDocuments(db, roomId, body.versionIds);
  for (const [index, id] of body.versionIds.entries())
    if (!versions.has(id)) fields[`versionIds.${index}`] = 'not a version of a document in this room';
  const lists = await documentsInRoom(
    db,
    roomId,
    body.actions.map((action) => action.listId),
  );
  const owners = await filterRoomReaders(
    db,
    roomId,
    body.actions.flatMap((action) => (action.ownerId ? [action.ownerId] : [])),
  );
  for (const [index, action] of body.actions.entries()) {
    const list = lists.get(action.listId);
    if (list?.kind !== 'actions' || list.archived)
      fields[`actions.${index}.listId`] = 'not an action list of this room';
    if (action.ownerId && !owners.has(action.ownerId))
      fields[`actions.${index}.ownerId`] = 'not someone who may read this room';
  }
  if (body.supersedes) {
    const replaced = await findDecision(db, roomId, body.supersedes);
    if (!replaced) fields.supersedes = 'not a decision of this room';
    else if (replaced.supersededBy) fields.supersedes = 'already superseded';
  }
  if (Object.keys(fields).length > 0) throw invalid(fields);
}

/** The edits that add the follow-up actions, one per list, with the new items in the order asked. */
async function planFollowUps(sync: SyncServer, actions: Body['actions']): Promise<PendingFollowUp[]> {
  const byList = new Map<string, Body['actions']>();
  for (const action of actions) byList.set(action.listId, [...(byList.get(action.listId) ?? []), action]);
  const planned: PendingFollowUp[] = [];
  for (const [listId, items] of byList) {
    const { update, itemIds } = await sync.readDocument(listId, (doc) => followUpUpdate(doc, items));
    planned.push({ listId, itemIds, update: Buffer.from(update).toString('base64') });
  }
  return planned;
}

/** The register routes (mounted under /api). */
export function decisionRoutes(deps: AppDependencies) {
  const { db, sync } = deps;
  const app = new Hono<AppEnv>();

  app.get(
    '/rooms/:roomId/decisions',
    describe("A room's decision register, newest first, filtered by year, status, meeting and text", 'decisions', {
      200: z.object({ decisions: z.array(meetingSchemas.decision), years: z.array(z.number().int()) }),
      ...denied,
    }),
    valid('param', schemas.roomIdParam),
    valid('query', meetingSchemas.decisionQuery),
    async (c) => {
      const { roomId } = c.req.valid('param');
      await authorizeRoom(db, requireSession(c), roomId, 'decision.read');
      const [rows, years] = await Promise.all([
        listDecisions(db, roomId, c.req.valid('query')),
        listDecisionYears(db, roomId),
      ]);
      const versions = await linkedVersions(db, rows);
      return c.json({ decisions: rows.map((row) => toDecision(row, versions)), years }, 200);
    },
  );

  app.get(
    '/rooms/:roomId/decisions/export',
    describe('The decision register as CSV or tagged PDF, with the same filters', 'decisions', {
      200: null,
      ...denied,
    }),
    valid('param', schemas.roomIdParam),
    valid('query', meetingSchemas.decisionExportQuery),
    async (c) => {
      const { roomId } = c.req.valid('param');
      const room = await authorizeRoom(db, requireSession(c), roomId, 'decision.read');
      const { format, ...query }: { format: 'csv' | 'pdf' } & DecisionQuery = c.req.valid('query');
      const rows = await listDecisions(db, roomId, query);
      const versions = await linkedVersions(db, rows);
      const decisions = rows.map((row) => toDecision(row, versions));
      const linked = decisions.flatMap((entry) => [entry.supersedes, entry.supersededBy]).filter((id) => id !== null);
      const meetings = new Map((await listMeetings(db, roomId)).map((meeting) => [meeting.id, meeting.title]));
      const names = { meetings, numbers: await decisionNumbers(db, linked) };
      const now = new Date();
      // The PDF is drawn in the export render process, like every other PDF: a long register is a
      // second of layout that live editing must not wait for.
      const file =
        format === 'pdf'
          ? {
              body: await (deps.exportRenderer ?? sharedRenderPool()).render({
                type: 'decisions-pdf',
                decisions,
                names,
                options: { roomName: room.name, query, now },
              }),
              day: exportHeading({ title: 'Beschlussregister', roomName: room.name, now }).day,
            }
          : { body: decisionsToCsv(decisions, names), day: now.toISOString().slice(0, 10) };
      await audit(db, c, {
        action: 'decision.export',
        targetType: 'room',
        targetId: roomId,
        roomId,
        details: { ...query, format },
      });
      return c.body(file.body as string | Uint8Array<ArrayBuffer>, 200, {
        'content-type': format === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8',
        'content-disposition': attachmentDisposition(
          downloadFileName(['Beschlussregister', room.name, file.day], format),
        ),
        'cache-control': 'private, no-store',
      });
    },
  );

  app.post(
    '/rooms/:roomId/decisions',
    describe('Record a decision (the next number of its year), optionally superseding one', 'decisions', {
      201: z.object({ decision: meetingSchemas.decision }),
      ...denied,
      409: schemas.errorBody,
    }),
    valid('param', schemas.roomIdParam),
    valid('json', meetingSchemas.createDecisionBody),
    async (c) => {
      const session = requireSession(c);
      const { roomId } = c.req.valid('param');
      const room = await authorizeRoom(db, session, roomId, 'decision.manage');
      const body = c.req.valid('json');
      await checkLinks(db, roomId, body);
      if (body.actions.length > 0 && !can({ isAdmin: session.user.isAdmin, roomRole: room.role }, 'document.write'))
        throw new AppError('forbidden', 'Your role in this room does not allow writing action lists.');
      if (body.actions.length > 0 && !sync) throw new AppError('internal', 'Action lists are not served here.');
      const followUps = sync ? await planFollowUps(sync, body.actions) : [];
      const recorded = await audited(
        db,
        c,
        (tx) =>
          recordDecision(tx, {
            roomId,
            date: body.date,
            title: body.title,
            text: body.text,
            status: body.status,
            meetingId: body.meetingId ?? null,
            agendaItemId: body.agendaItemId ?? null,
            versionIds: body.versionIds,
            pendingFollowUps: followUps,
            supersedes: body.supersedes ?? null,
            createdBy: session.user.id,
          }),
        ({ decision, superseded }) => [
          {
            action: 'decision.create',
            targetType: 'decision',
            targetId: decision.id,
            roomId,
            details: { number: decision.number, status: decision.status, actions: body.actions.length },
          },
          ...(superseded
            ? [
                {
                  action: 'decision.supersede' as const,
                  targetType: 'decision',
                  targetId: superseded.id,
                  roomId,
                  details: { number: superseded.number, supersededBy: decision.number },
                },
              ]
            : []),
        ],
      );
      // After the commit: a decision that failed to record leaves no actions behind, and an edit
      // that fails here stays pending (the answer says how many) until the next start writes it.
      const { id, createdBy } = recorded.decision;
      if (followUps.length > 0) await writeFollowUps(db, sync!, { id, createdBy, pending: followUps }, c.get('log'));
      const decision = followUps.length > 0 ? await findDecision(db, roomId, id) : recorded.decision;
      return c.json({ decision: toDecision(decision!, await linkedVersions(db, [decision!])) }, 201);
    },
  );

  return app;
}
