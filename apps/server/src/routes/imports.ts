import { createDocument, toDocumentMeta } from '@nordraum/db';
import { AppError, schemas } from '@nordraum/domain';
import { Hono } from 'hono';
import { z } from 'zod';
import { audited, authorizeRoom } from '../http/access.ts';
import { contentWritten } from '../http/content-written.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireSession } from '../http/session.ts';
import { isNotesFileExtension } from '../import/notes-file.ts';
import { extensionOf, importKind } from '../import/upload-form.ts';
import {
  actionImportRoutes,
  importActionList,
  invalidRowsBody,
  refusedImport,
  uploadedFile,
} from './action-imports.ts';

const importResponse = z.object({
  document: schemas.document,
  /** Images the file had, which notes do not hold. */
  droppedImages: z.number(),
});

/**
 * Imports into a new notes document: Markdown, DOCX, ODT. The document is created with its whole
 * content in one transaction, or not at all; a file that cannot be read creates nothing.
 */
export function importRoutes(deps: AppDependencies) {
  const { db } = deps;
  const app = new Hono<AppEnv>();
  app.route('/', actionImportRoutes(deps));

  app.post(
    '/rooms/:roomId/imports',
    describe(
      'Import a file (multipart field `file`, optional `title` and `kind`): Markdown, DOCX or ODT into a new notes document; CSV or XLSX (optional `mapping` as JSON, see the preview) into a new action list, all rows or none (422 with the invalid rows)',
      'documents',
      {
        201: importResponse,
        400: schemas.errorBody,
        403: schemas.errorBody,
        404: schemas.errorBody,
        413: schemas.errorBody,
        415: schemas.errorBody,
        422: invalidRowsBody,
      },
    ),
    valid('param', schemas.roomIdParam),
    async (c) => {
      const session = requireSession(c);
      const { roomId } = c.req.valid('param');
      await authorizeRoom(db, session, roomId, 'document.create');
      // The file is read in the export render process (a large DOCX is a second of parsing that live
      // editing must not wait for), for the kind this route makes of it.
      const { form, file, content } = await uploadedFile(c, deps, 'import');
      // Without a kind, a spreadsheet goes into an action list and anything else into notes.
      const kind = importKind(form, file.name);
      if (kind === 'actions')
        return importActionList(c, deps, {
          roomId,
          userId: session.user.id,
          file,
          content,
          title: form.title,
          mapping: form.mapping,
        });
      if (kind !== 'notes')
        throw new AppError('validation_failed', 'Notes and action lists can be imported.', {
          fields: { kind: 'use notes or actions' },
        });
      const extension = extensionOf(file.name);
      if (!isNotesFileExtension(extension) || content.type !== 'notes')
        throw new AppError(
          'unsupported_media_type',
          'Notes import Markdown (.md), Word (.docx) or OpenDocument (.odt) files; action lists CSV or Excel (.xlsx).',
          {
            fields: { file: 'use .md, .docx, .odt, .csv or .xlsx' },
          },
        );
      const imported = content.notes;
      if (!imported.readable) {
        if (imported.refusal) throw refusedImport(imported.refusal);
        throw new AppError('validation_failed', 'The file could not be read; nothing was imported.', {
          fields: { file: 'damaged or not of its type' },
        });
      }
      const { title } = imported;
      const row = await audited(
        db,
        c,
        (tx) => createDocument(tx, { roomId, kind: 'notes', title, createdBy: session.user.id }, imported.update),
        (created) => ({
          action: 'document.import',
          targetType: 'document',
          targetId: created.id,
          roomId,
          details: { format: extension, bytes: file.size },
        }),
      );
      contentWritten(deps, row.id, imported.searchEntries);
      return c.json({ document: toDocumentMeta(row), droppedImages: imported.droppedImages }, 201);
    },
  );

  return app;
}
