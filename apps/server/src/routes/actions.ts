import {
  findDocument,
  findLatestApproval,
  findVersion,
  listMembers,
  listMyActions,
  readVersionState,
  writeAudit,
} from '@nordraum/db';
import {
  type ActionItem,
  AppError,
  actionListOf,
  actionsTable,
  actionsToCsv,
  actionsToICalendar,
  attachmentDisposition,
  type DocumentKind,
  docOf,
  downloadFileName,
  type ExportHeading,
  exportHeading,
  roadmapOf,
  roadmapTable,
  roadmapToCsv,
  schemas,
} from '@nordraum/domain';
import { Hono } from 'hono';
import type * as Y from 'yjs';
import { z } from 'zod';
import { isNotesFormat, notesFormats } from '../export/notes-export.ts';
import type { CopyOf, RenderJob } from '../export/render-job.ts';
import { sharedRenderPool } from '../export/render-pool.ts';
import { authorizeDocument, clientAddress, viewerOf } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireAdmin, requireSession } from '../http/session.ts';
import { calendarRoutes } from './calendar.ts';

const myAction = z.object({
  documentId: z.uuid(),
  itemId: z.string(),
  title: z.string(),
  organization: z.string().nullable(),
  due: z.string().nullable(),
  status: z.string(),
  documentTitle: z.string(),
  roomId: z.uuid(),
  roomName: z.string(),
});

const exportQuery = z.object({
  format: z.enum(['csv', 'ics', 'md', 'docx', 'odt', 'pdf', 'xlsx', 'ods']).default('csv'),
  /** Calendar entries: all-day events (what every calendar shows) or tasks. */
  type: z.enum(['event', 'todo']).default('event'),
  /** A stored version to export instead of the live state. */
  version: z.uuid().optional(),
});

/** The formats each kind of document exports to; any other is a 400. */
const exportFormats: Record<DocumentKind, readonly string[]> = {
  notes: Object.keys(notesFormats),
  roadmap: ['csv', 'xlsx', 'ods', 'pdf'],
  actions: ['csv', 'xlsx', 'ods', 'ics'],
};

const contentTypes: Record<string, string> = {
  ...notesFormats,
  ics: 'text/calendar; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
};

/** Reads a document's content: the live state, or a stored version's. */
type ContentReader = <T>(read: (doc: Y.Doc) => T) => Promise<T>;

/** At most this many roadmaps are read for the milestone names of one export. */
const maxLinkedRoadmaps = 20;

/** "My actions" across rooms (from the index), exports of action lists and roadmaps, index rebuild. */
export function actionRoutes(deps: AppDependencies) {
  const { db } = deps;
  const app = new Hono<AppEnv>();
  /** Files are rendered off the event loop, in the export render process (CSV and iCalendar are quick text). */
  const render = (job: RenderJob) => (deps.exportRenderer ?? sharedRenderPool()).render(job);

  /**
   * Milestone id → title, from the roadmaps of `roomId` the items link to (a link into another
   * room is not followed: its reader may not see that room). A milestone missing here is gone.
   */
  async function milestoneTitles(roomId: string, items: ActionItem[]): Promise<Map<string, string>> {
    // Linked roadmaps are read live even for a version: a version stores only its own document.
    const titles = new Map<string, string>();
    const roadmapIds = [...new Set(items.map((item) => item.roadmapId).filter((id) => id !== null))];
    for (const roadmapId of roadmapIds.slice(0, maxLinkedRoadmaps)) {
      const roadmap = await findDocument(db, roadmapId);
      if (roadmap?.roomId !== roomId || roadmap.kind !== 'roadmap') continue;
      const milestones = await deps.sync!.readDocument(roadmapId, (doc) => roadmapOf(doc).milestones());
      for (const milestone of milestones) titles.set(milestone.id, milestone.title);
    }
    return titles;
  }

  async function exportActions(
    read: ContentReader,
    roomId: string,
    format: string,
    type: 'event' | 'todo',
    options: { calendarName: string; url: string; users: Map<string, string> },
  ): Promise<string | Uint8Array> {
    const items = await read((doc) => actionListOf(doc).items());
    if (format === 'ics') {
      const entries = items.map((item) => ({ ...item, url: `${options.url}#action-${item.id}` }));
      return actionsToICalendar(entries, { ...options, type });
    }
    const names = { users: options.users, milestones: await milestoneTitles(roomId, items) };
    if (format === 'xlsx' || format === 'ods') {
      const table = actionsTable(items, names);
      return render({ type: format, table, sheetName: options.calendarName, title: options.calendarName });
    }
    return actionsToCsv(items, names);
  }

  /** A roadmap as CSV, XLSX or ODS (its PDF: see {@link exportFile}). */
  async function exportRoadmap(
    read: ContentReader,
    format: string,
    users: Map<string, string>,
    heading: ExportHeading,
  ) {
    const { themes, milestones } = await read((doc) => {
      const roadmap = roadmapOf(doc);
      return { themes: roadmap.themes(), milestones: roadmap.milestones() };
    });
    if (format === 'xlsx' || format === 'ods') {
      const table = roadmapTable(themes, milestones, users);
      return render({ type: format, table, sheetName: heading.title, title: heading.title });
    }
    return roadmapToCsv(themes, milestones, users);
  }

  app.get(
    '/my-actions',
    describe('Open actions assigned to me across all rooms I may see', 'actions', {
      200: z.object({ actions: z.array(myAction) }),
    }),
    async (c) => {
      const session = requireSession(c);
      return c.json({ actions: await listMyActions(db, viewerOf(session)) }, 200);
    },
  );

  app.post(
    '/admin/action-index/rebuild',
    describe('Rebuild the action index from the documents (admins)', 'admin', {
      200: z.object({ lists: z.number() }),
      403: schemas.errorBody,
    }),
    async (c) => {
      requireAdmin(c);
      if (!deps.indexer) throw new AppError('internal', 'The action index is not running on this server.');
      return c.json({ lists: await deps.indexer.rebuild() }, 200);
    },
  );

  /**
   * The reader of the live state or of version `versionId`, and that version (404 when unknown).
   * A version's state is read from the database on first use only: a file kept for it needs none.
   */
  async function contentOf(documentId: string, versionId: string | undefined) {
    if (!versionId) {
      const read = ((fn) => deps.sync!.readDocument(documentId, fn)) as ContentReader;
      return { read, state: () => deps.sync!.readState(documentId), version: null };
    }
    const version = await findVersion(db, documentId, versionId);
    if (!version) throw new AppError('not_found', 'Version not found.');
    let reading: Promise<Uint8Array> | undefined;
    const state = () =>
      (reading ??= readVersionState(db, documentId, versionId).then((stored) => {
        if (!stored) throw new AppError('not_found', 'Version not found.');
        return stored;
      }));
    const read: ContentReader = async (fn) => {
      const doc = docOf(await state());
      try {
        return fn(doc);
      } finally {
        doc.destroy();
      }
    };
    return { read, state, version };
  }

  /**
   * A file read from the document in the export render process (a protocol in any format, a roadmap as
   * PDF): of a stored version from its state (the file kept for it, if any, without reading the
   * state); of the live document on the export render process's copy of it, which is sent only what
   * changed since its last export (render-pool.ts `renderLive`). `key` is everything else the
   * file shows.
   */
  async function exportFile(
    documentId: string,
    versionId: string | undefined,
    key: string,
    state: () => Promise<Uint8Array>,
    job: (state: Uint8Array, copy?: CopyOf) => RenderJob,
  ): Promise<Uint8Array> {
    const renderer = deps.exportRenderer ?? sharedRenderPool();
    const fullKey = `${documentId}:${versionId ?? 'live'}:${key}`;
    if (versionId) {
      // A stored version's content never changes: the key alone fixes the file.
      const reuse = { key: fullKey, state: null };
      return renderer.cached(reuse) ?? renderer.render(job(await state()), reuse);
    }
    const sync = deps.sync!;
    const request = { documentId, wholeState: state, key: fullKey, job };
    // A loaded document is read in place, in the same turn (no copy of it is made for the export).
    return sync.loadedDocuments().includes(documentId)
      ? sync.readDocument(documentId, (doc) => renderer.renderLive({ ...request, doc }))
      : renderer.renderLive({ ...request, doc: null });
  }

  app.get(
    '/documents/:documentId/export',
    describe(
      'Export a document: notes as Markdown, DOCX, ODT or tagged PDF; an action list as CSV, XLSX, ODS or iCalendar; a roadmap as CSV, XLSX, ODS or PDF. `version` exports a stored version',
      'documents',
      { 200: null, 400: schemas.errorBody, 403: schemas.errorBody, 404: schemas.errorBody },
    ),
    valid('param', schemas.documentIdParam),
    valid('query', exportQuery),
    async (c) => {
      const session = requireSession(c);
      const { document, room } = await authorizeDocument(db, session, c.req.valid('param').documentId, 'document.read');
      const { format, type, version: versionId } = c.req.valid('query');
      if (!deps.sync || !exportFormats[document.kind].includes(format)) {
        throw new AppError('validation_failed', 'This document cannot be exported in this format.', {
          fields: { format: `not available for this document; use ${exportFormats[document.kind].join(', ')}` },
        });
      }
      // The lookups after the access check do not depend on each other: one round trip of waiting
      // instead of three, and the request's main-thread work done in fewer, closer slices.
      const [{ read, state, version }, approval, members] = await Promise.all([
        contentOf(document.id, versionId),
        findLatestApproval(db, document.id),
        // Roadmaps and action lists name their owners; a protocol names nobody.
        document.kind === 'notes' ? [] : listMembers(db, room.id),
      ]);
      const now = new Date();
      let body: string | Uint8Array;
      const heading = exportHeading({ title: document.title, roomName: room.name, version, approval, now });
      if (document.kind === 'notes' && isNotesFormat(format)) {
        body = await exportFile(
          document.id,
          versionId,
          `notes:${format}:${JSON.stringify(heading)}`,
          state,
          (of, copy) => ({
            type: 'notes',
            format,
            state: of,
            heading,
            copy,
          }),
        );
      } else if (document.kind === 'roadmap' && format === 'pdf') {
        // Owners are named in the table: the names are part of what the file shows.
        const users = members.map(({ user }): [string, string] => [user.id, user.name]);
        const key = `roadmap-pdf:${JSON.stringify([heading, users])}`;
        body = await exportFile(document.id, versionId, key, state, (of, copy) => ({
          type: 'roadmap-pdf',
          state: of,
          users,
          heading,
          copy,
        }));
      } else {
        const users = new Map(members.map((member) => [member.user.id, member.user.name]));
        const url = `${deps.publicOrigin}/documents/${document.id}`;
        body =
          document.kind === 'roadmap'
            ? await exportRoadmap(read, format, users, heading)
            : await exportActions(read, room.id, format, type, { calendarName: document.title, url, users });
      }
      await writeAudit(db, {
        action: 'document.export',
        actorId: session.user.id,
        actorEmail: session.user.email,
        targetType: 'document',
        targetId: document.id,
        roomId: room.id,
        ip: clientAddress(c),
        details: versionId ? { format, versionId } : { format },
      });
      const contentType = contentTypes[format]!;
      return c.body(body as string | Uint8Array<ArrayBuffer>, 200, {
        'content-type': contentType,
        'content-disposition': attachmentDisposition(
          downloadFileName([document.title, room.name, heading.day], format),
        ),
        'cache-control': 'no-store',
      });
    },
  );

  app.route('/', calendarRoutes(deps));
  return app;
}
