import {
  createVersion,
  type Database,
  findVersion,
  listMembers,
  listVersionsJson,
  readVersionState,
  withdrawVersion,
} from '@nordraum/db';
import { AppError, type Changes, diffReadings, historySchemas, readingOf, schemas } from '@nordraum/domain';
import type { SyncServer } from '@nordraum/sync';
import { Hono } from 'hono';
import { z } from 'zod';
import { auditRecord, authorizeDocument } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireSession } from '../http/session.ts';
import type { LiveEvent } from '../live/hub.ts';
import type { SentEvent } from '../live/sse.ts';
import { createVersionReadings } from '../version-readings.ts';

const versionResponse = z.object({ version: historySchemas.version });
const denied = { 403: schemas.errorBody, 404: schemas.errorBody };
const octets = { 'content-type': 'application/octet-stream', 'cache-control': 'private, no-store' };

function syncOf(sync: SyncServer | undefined): SyncServer {
  if (!sync) throw new AppError('internal', 'Document content is not served by this server.');
  return sync;
}

async function stateOf(db: Database, documentId: string, versionId: string) {
  const state = await readVersionState(db, documentId, versionId);
  if (!state) throw new AppError('not_found', 'Version not found.');
  return state;
}

/** Action owners are user ids in the document; people read them as "Name (ORG)" of the room's members. */
export async function withOwnerNames(db: Database, roomId: string, changes: Changes): Promise<Changes> {
  const members = await listMembers(db, roomId);
  const names = new Map(members.map(({ user }) => [user.id, `${user.name} (${user.organization.code})`]));
  const named = (value: string | null) => (value === null ? null : (names.get(value) ?? value));
  for (const item of changes.items) {
    if (item.kind !== 'action') continue;
    for (const field of item.fields)
      if (field.field === 'owner') Object.assign(field, { before: named(field.before), after: named(field.after) });
  }
  return changes;
}

/**
 * What a document's event stream sends for a version event: `version` ({ version }) for one
 * written, `versions` ({}) when some went (thinned) and the list is best read again.
 */
export function versionEvent(db: Database) {
  // One event is loaded once, however many streams on this instance receive it.
  const renderings = new WeakMap<LiveEvent, Promise<SentEvent | null>>();
  return (event: LiveEvent & { kind: 'version' }): Promise<SentEvent | null> => {
    let message = renderings.get(event);
    if (!message) {
      const { documentId, versionId } = event;
      message = versionId
        ? findVersion(db, documentId, versionId).then((version) =>
            version ? { event: 'version', data: { version } } : null,
          )
        : Promise.resolve({ event: 'versions', data: {} });
      renderings.set(event, message);
    }
    return message;
  };
}

/**
 * Document history: list, name, read, compare and restore versions. Reading is for everyone who
 * may read the document; naming and restoring for editors and owners (see permissions.ts).
 */
export function versionRoutes({ db, sync, live }: AppDependencies) {
  const app = new Hono<AppEnv>();
  const readings = createVersionReadings(db);
  // Open history lists follow (on every instance), told by the statement that writes the version.
  const announce = (documentId: string) =>
    live ? (versionId: string) => live.notification({ kind: 'version', documentId, versionId }) : undefined;
  // A version gone: lists are read again.
  const announceWithdrawn = (documentId: string) =>
    live ? () => live.notification({ kind: 'version', documentId }) : undefined;

  app.get(
    '/documents/:documentId/versions',
    describe("A document's versions, newest first", 'history', {
      200: z.object({ versions: z.array(historySchemas.version) }),
      ...denied,
    }),
    valid('param', schemas.documentIdParam),
    async (c) => {
      const started = performance.now();
      const { documentId } = c.req.valid('param');
      await authorizeDocument(db, requireSession(c), documentId, 'document.read');
      // The database writes the list as JSON: sent as it comes (see listVersionsJson).
      const versions = await listVersionsJson(db, documentId);
      // The server's own time (access check and query), told apart from the network's and the
      // client's: the bench reads it.
      const timing = `list;dur=${(performance.now() - started).toFixed(1)}`;
      return c.body(`{"versions":${versions}}`, 200, { 'content-type': 'application/json', 'server-timing': timing });
    },
  );

  app.post(
    '/documents/:documentId/versions',
    describe("Name the document's current state as a version", 'history', { 201: versionResponse, ...denied }),
    valid('param', schemas.documentIdParam),
    valid('json', historySchemas.createVersionBody),
    async (c) => {
      const session = requireSession(c);
      const { documentId } = c.req.valid('param');
      const { room } = await authorizeDocument(db, session, documentId, 'document.version.create');
      // The state at the log position now, merged off the main thread (editors do not wait for it).
      const { seq, state, packed } = await syncOf(sync).versionState(documentId);
      const { name } = c.req.valid('json');
      // The version, its audit row and the announcement in one statement: one round trip and one
      // WAL flush for the editors' own commits to wait behind, and never a version without its
      // audit entry.
      const version = await createVersion(
        db,
        { documentId, kind: 'manual', name, seq, state, packed, createdBy: session.user.id },
        {
          audit: (versionId) =>
            auditRecord(c, {
              action: 'document.version.create',
              targetType: 'document',
              targetId: documentId,
              roomId: room.id,
              details: { versionId, name },
            }),
          notify: announce(documentId),
        },
      );
      return c.json({ version }, 201);
    },
  );

  app.get(
    '/documents/:documentId/versions/:versionId/state',
    describe("A version's Yjs state as one update (application/octet-stream)", 'history', { 200: null, ...denied }),
    valid('param', historySchemas.versionParam),
    async (c) => {
      const { documentId, versionId } = c.req.valid('param');
      await authorizeDocument(db, requireSession(c), documentId, 'document.read');
      const state = (await stateOf(db, documentId, versionId)) as Uint8Array<ArrayBuffer>;
      return c.body(state, 200, octets);
    },
  );

  app.get(
    '/documents/:documentId/versions/:versionId/changes',
    describe('What changed from a version to another version or to the current state', 'history', {
      200: z.object({ changes: historySchemas.changes }),
      ...denied,
    }),
    valid('param', historySchemas.versionParam),
    valid('query', historySchemas.changesQuery),
    async (c) => {
      const { documentId, versionId } = c.req.valid('param');
      const { document, room } = await authorizeDocument(db, requireSession(c), documentId, 'document.read');
      const { against } = c.req.valid('query');
      const before = await readings.read(documentId, versionId, document.kind);
      // Against the current state, the live document is read in place: nothing to decode.
      const changes =
        against === 'current'
          ? await syncOf(sync).readDocument(documentId, (live) => diffReadings(before, readingOf(document.kind, live)))
          : diffReadings(before, await readings.read(documentId, against, document.kind));
      return c.json(
        { changes: document.kind === 'actions' ? await withOwnerNames(db, room.id, changes) : changes },
        200,
      );
    },
  );

  app.post(
    '/documents/:documentId/versions/:versionId/restore',
    describe(
      'Make the live document equal to a version through new edits; answers the version kept of the state before',
      'history',
      { 200: versionResponse, ...denied },
    ),
    valid('param', historySchemas.versionParam),
    async (c) => {
      const session = requireSession(c);
      const { documentId, versionId } = c.req.valid('param');
      const { document, room } = await authorizeDocument(db, session, documentId, 'document.version.restore');
      const target = await stateOf(db, documentId, versionId);
      const live = syncOf(sync);
      // The state kept and the edits computed from one read (the log at `seq`), off the main
      // thread: for a 50-page protocol that was tens of milliseconds every editor waited.
      const { seq, before, packed, update } = await live.restorePlan(documentId, document.kind, target);
      const keep = {
        audit: (keptVersionId: string) =>
          auditRecord(c, {
            action: 'document.version.restore',
            targetType: 'document',
            targetId: documentId,
            roomId: room.id,
            details: { versionId, keptVersionId },
          }),
      };
      // The state before is kept with the restore's audit row in one statement, committed before
      // the edits: a record that cannot be written stops the edits, and edits that cannot be stored
      // withdraw the record again. A transaction around both could fail at its COMMIT after the
      // edits were stored (and left them without a record), and held a pooled connection while
      // they committed.
      const kept = await createVersion(
        db,
        { documentId, kind: 'restore', name: null, seq, state: before, packed, createdBy: session.user.id },
        { ...keep, notify: announce(documentId) },
      );
      if (update) {
        try {
          await live.commitServerUpdate(documentId, update, session.user.id);
        } catch (error) {
          await withdrawVersion(db, documentId, kept.id, { ...keep, notify: announceWithdrawn(documentId) }).catch(
            (err: unknown) =>
              c.var.log.error({ err, documentId, versionId: kept.id }, 'a failed restore kept its record'),
          );
          throw error;
        }
      }
      return c.json({ version: kept }, 200);
    },
  );

  return app;
}
