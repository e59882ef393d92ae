import { createDocument, toDocumentMeta } from '@nordraum/db';
import { AppError, type NotesBlock, runsText, schemas, writeNotesTree } from '@nordraum/domain';
import { Hono } from 'hono';
import * as Y from 'yjs';
import { z } from 'zod';
import { audited, authorizeRoom } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireSession } from '../http/session.ts';
import type { ImportedNotes } from '../import/notes-import.ts';
import {
  actionImportRoutes,
  importActionList,
  invalidRowsBody,
  isSpreadsheet,
  uploadedFile,
} from './action-imports.ts';

type NotesReaders = typeof import('../import/notes-import.ts');

// The readers (mammoth, marked, the XML parsers) are loaded by the first import, not at start.
const readers: Record<string, (from: NotesReaders, bytes: Uint8Array) => Promise<ImportedNotes>> = {
  md: async (from, bytes) => from.markdownToNotes(new TextDecoder().decode(bytes)),
  markdown: async (from, bytes) => from.markdownToNotes(new TextDecoder().decode(bytes)),
  txt: async (from, bytes) => from.markdownToNotes(new TextDecoder().decode(bytes)),
  docx: (from, bytes) => from.docxToNotes(bytes),
  odt: (from, bytes) => from.odtToNotes(bytes),
};

const importResponse = z.object({
  document: schemas.document,
  /** Images the file had, which notes do not hold. */
  droppedImages: z.number(),
});

/**
 * The title (given, else the file's first level-1 heading, which then leaves the text, else the
 * file name) and the blocks with headings in the editor's levels 2–4.
 */
function titleAndBlocks(imported: ImportedNotes, given: string | undefined, fileName: string) {
  let blocks = imported.blocks;
  let title = given?.trim();
  const first = blocks[0];
  if (first?.type === 'heading' && first.level === 1) {
    title ||= runsText(first.runs).trim();
    blocks = blocks.slice(1);
  }
  title ||= fileName.replace(/\.[^.]+$/, '').trim() || 'Import';
  const clamp = (items: NotesBlock[]): NotesBlock[] =>
    items.map((block) => {
      if (block.type === 'heading') return { ...block, level: Math.min(Math.max(block.level, 2), 4) };
      if (block.type === 'list')
        return { ...block, items: block.items.map((item) => ({ ...item, blocks: clamp(item.blocks) })) };
      if (block.type === 'quote') return { ...block, blocks: clamp(block.blocks) };
      if (block.type === 'table')
        return {
          ...block,
          rows: block.rows.map((row) => row.map((cell) => ({ ...cell, blocks: clamp(cell.blocks) }))),
        };
      return block;
    });
  return { title: title.slice(0, 200), blocks: clamp(blocks) };
}

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
      const { form, file } = await uploadedFile(c);
      // Without a kind, a spreadsheet goes into an action list and anything else into notes.
      const kind =
        typeof form.kind === 'string' && form.kind ? form.kind : isSpreadsheet(file.name) ? 'actions' : 'notes';
      if (kind === 'actions')
        return importActionList(c, deps, {
          roomId,
          userId: session.user.id,
          file,
          title: form.title,
          mapping: form.mapping,
        });
      if (kind !== 'notes')
        throw new AppError('validation_failed', 'Notes and action lists can be imported.', {
          fields: { kind: 'use notes or actions' },
        });
      const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
      const reader = readers[extension];
      if (!reader)
        throw new AppError(
          'unsupported_media_type',
          'Notes import Markdown (.md), Word (.docx) or OpenDocument (.odt) files; action lists CSV or Excel (.xlsx).',
          {
            fields: { file: 'use .md, .docx, .odt, .csv or .xlsx' },
          },
        );
      const from = await import('../import/notes-import.ts');
      let imported: ImportedNotes;
      try {
        imported = await reader(from, new Uint8Array(await file.arrayBuffer()));
      } catch {
        throw new AppError('validation_failed', 'The file could not be read; nothing was imported.', {
          fields: { file: 'damaged or not of its type' },
        });
      }
      const { title, blocks } = titleAndBlocks(
        imported,
        typeof form.title === 'string' ? form.title : undefined,
        file.name,
      );
      const doc = new Y.Doc();
      writeNotesTree(doc, blocks);
      const row = await audited(
        db,
        c,
        (tx) =>
          createDocument(tx, { roomId, kind: 'notes', title, createdBy: session.user.id }, Y.encodeStateAsUpdate(doc)),
        (created) => ({
          action: 'document.import',
          targetType: 'document',
          targetId: created.id,
          roomId,
          details: { format: extension, bytes: file.size },
        }),
      );
      return c.json({ document: toDocumentMeta(row), droppedImages: imported.droppedImages }, 201);
    },
  );

  return app;
}
