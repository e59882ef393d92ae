import { createDocument, listMembers, listOrganizations, toDocumentMeta } from '@nordraum/db';
import { AppError, schemas } from '@nordraum/domain';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { RenderProcessEnded, sharedRenderPool } from '../export/render-pool.ts';
import { audited, authorizeRoom } from '../http/access.ts';
import { contentWritten } from '../http/content-written.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { withSpooledBody } from '../http/request-body.ts';
import { requireSession } from '../http/session.ts';
import {
  actionListState,
  type CheckedRow,
  type ColumnMapping,
  checkRow,
  type ImportDirectory,
  type ImportedAction,
  importFields,
  suggestMapping,
} from '../import/actions-import.ts';
import type { OverLimit } from '../import/import-limits.ts';
import type { ReadRow } from '../import/table-read.ts';
import {
  extensionOf,
  isSpreadsheet,
  maxImportBytes,
  maxImportRows,
  type UploadContent,
  type UploadedFile,
  type UploadFormJob,
} from '../import/upload-form.ts';

/**
 * Imports into a new action list: a CSV or XLSX file, its first row the header. The preview
 * (`POST /rooms/:roomId/imports/preview`) answers with the columns, the suggested (or given)
 * mapping and the rows with their errors, and writes nothing; the import itself
 * (`POST /rooms/:roomId/imports`, `kind=actions`) checks every row again and creates the list
 * only when all are valid, in one transaction, else answers 422 with the invalid rows.
 */

/** Rows a preview lists from the start of the file; invalid rows are listed up to `maxListedErrors`. */
const previewRows = 50;
const maxListedErrors = 500;

const column = z.number().int().min(0).max(1_000).nullable();
const mappingSchema = z.object(
  Object.fromEntries(importFields.map((field) => [field, column])) as Record<
    (typeof importFields)[number],
    typeof column
  >,
);

const checkedRow = z.object({
  line: z.number(),
  values: z.record(z.string(), z.string()),
  errors: z.array(z.object({ field: z.enum(importFields), code: z.string() })),
});
const previewResponse = z.object({
  columns: z.array(z.string()),
  mapping: mappingSchema,
  /** The first rows of the file and every invalid row (up to 500), in file order. */
  rows: z.array(checkedRow),
  total: z.number(),
  invalid: z.number(),
});
/** The 422 of an import with invalid rows: nothing was written. */
export const invalidRowsBody = schemas.errorBody.extend({
  rows: z.array(checkedRow),
  total: z.number(),
  invalid: z.number(),
});

/**
 * The uploaded file of a multipart request, checked for size, with what it holds for `purpose`
 * (read in the export render process, see upload-form.ts); a 400/413 otherwise.
 */
export async function uploadedFile(c: Context<AppEnv>, deps: AppDependencies, purpose: UploadFormJob['purpose']) {
  // The body is written to a file as it arrives, which the export render process parses and reads
  // the file from; the file does not come back.
  const renderer = deps.exportRenderer ?? sharedRenderPool();
  const contentType = c.req.header('content-type') ?? '';
  const read = await withSpooledBody(c, (bodyFile) =>
    renderer.readForm({ type: 'read-form', contentType, bodyFile, purpose }),
  ).catch((error: Error) => {
    // Reading it took the render process past its heap or its time (a crafted file within
    // the size limits): refused like any file too complex to read, and the process is replaced.
    throw error instanceof RenderProcessEnded ? refusedImport('too_complex') : error;
  });
  if (!read.readable)
    throw new AppError('validation_failed', 'Send the file as multipart/form-data.', { fields: { file: 'missing' } });
  const { fields: form, file, content } = read;
  if (!file) throw new AppError('validation_failed', 'No file was sent.', { fields: { file: 'missing' } });
  if (file.size > maxImportBytes)
    throw new AppError('payload_too_large', 'The file is larger than 20 MB; nothing was imported.', {
      fields: { file: 'over 20 MB' },
    });
  return { form, file, content };
}

/**
 * The answer to a file over one of the import's limits (import-limits.ts): 413, with the field
 * text the web app tells apart from the 20 MB limit.
 */
export function refusedImport(refusal: OverLimit): AppError {
  if (refusal === 'unpacked_too_large')
    return new AppError(
      'payload_too_large',
      'The file unpacks to more than 100 MB, or one of its parts to more than 20 MB; nothing was imported.',
      { fields: { file: 'unpacks too large' } },
    );
  return new AppError(
    'payload_too_large',
    'The file holds too much or too deeply nested content; nothing was imported.',
    {
      fields: { file: 'too complex' },
    },
  );
}

function readRows(file: UploadedFile, content: UploadContent): ReadRow[] {
  if (!isSpreadsheet(file.name))
    throw new AppError('unsupported_media_type', 'An action list imports CSV (.csv) or Excel (.xlsx) files.', {
      fields: { file: 'use .csv or .xlsx' },
    });
  const rows = content.type === 'rows' ? content.rows : null;
  if (content.type === 'rows' && content.refusal) throw refusedImport(content.refusal);
  if (!rows) {
    throw new AppError('validation_failed', 'The file could not be read; nothing was imported.', {
      fields: { file: 'damaged, not UTF-8 or not of its type' },
    });
  }
  if (rows.length === 0)
    throw new AppError('validation_failed', 'The file has no header row.', { fields: { file: 'empty' } });
  if (rows.length > maxImportRows + 1)
    throw new AppError('validation_failed', `The file has more than ${maxImportRows} rows; nothing was imported.`, {
      fields: { file: `over ${maxImportRows} rows` },
    });
  return rows;
}

function mappingOf(given: unknown, header: string[]): ColumnMapping {
  if (typeof given !== 'string' || given === '') return suggestMapping(header);
  let parsed: ReturnType<typeof mappingSchema.safeParse>;
  try {
    parsed = mappingSchema.safeParse(JSON.parse(given));
  } catch {
    parsed = mappingSchema.safeParse(null);
  }
  if (!parsed.success)
    throw new AppError('validation_failed', 'The column mapping is not valid.', { fields: { mapping: 'invalid' } });
  if (parsed.data.title === null)
    throw new AppError('validation_failed', 'Choose the column that holds the titles.', {
      fields: { mapping: 'title missing' },
    });
  return parsed.data;
}

async function directoryOf({ db }: AppDependencies, roomId: string): Promise<ImportDirectory> {
  const [members, organizations] = await Promise.all([listMembers(db, roomId), listOrganizations(db)]);
  return {
    members: members.map(({ user }) => ({
      id: user.id,
      name: user.name,
      email: user.email,
      organizationCode: user.organization.code,
    })),
    organizations,
  };
}

/** The file's rows checked against `mapping` (given, else suggested). */
async function checkFile(
  deps: AppDependencies,
  roomId: string,
  file: UploadedFile,
  content: UploadContent,
  givenMapping: unknown,
) {
  const [header, ...body] = readRows(file, content);
  const columns = header!.cells.map((name, index) => name || `Spalte ${index + 1}`);
  const mapping = mappingOf(givenMapping, columns);
  const directory = await directoryOf(deps, roomId);
  const checked: CheckedRow[] = [];
  const actions: ImportedAction[] = [];
  for (const row of body) {
    const result = checkRow(row, mapping, directory);
    checked.push(result.checked);
    if (result.action) actions.push(result.action);
  }
  const invalid = checked.filter((row) => row.errors.length > 0);
  return { columns, mapping, checked, invalid, actions };
}

/** The preview route. */
export function actionImportRoutes(deps: AppDependencies) {
  const app = new Hono<AppEnv>();
  app.post(
    '/rooms/:roomId/imports/preview',
    describe(
      'Read a CSV or XLSX file (multipart field `file`, optional `mapping` as JSON) for an action-list import: columns, suggested mapping, rows with their errors; writes nothing',
      'documents',
      {
        200: previewResponse,
        400: schemas.errorBody,
        403: schemas.errorBody,
        404: schemas.errorBody,
        413: schemas.errorBody,
      },
    ),
    valid('param', schemas.roomIdParam),
    async (c) => {
      const session = requireSession(c);
      const { roomId } = c.req.valid('param');
      await authorizeRoom(deps.db, session, roomId, 'document.create');
      const { form, file, content } = await uploadedFile(c, deps, 'rows');
      const { columns, mapping, checked, invalid } = await checkFile(deps, roomId, file, content, form.mapping);
      const listed = checked.filter(
        (row, index) => index < previewRows || (row.errors.length > 0 && invalid.indexOf(row) < maxListedErrors),
      );
      return c.json({ columns, mapping, rows: listed, total: checked.length, invalid: invalid.length }, 200);
    },
  );
  return app;
}

/** `POST /rooms/:roomId/imports` with `kind=actions`: the new list, or 422 with the invalid rows. */
export async function importActionList(
  c: Context<AppEnv>,
  deps: AppDependencies,
  input: {
    roomId: string;
    userId: string;
    file: UploadedFile;
    content: UploadContent;
    title: unknown;
    mapping: unknown;
  },
) {
  const { checked, invalid, actions } = await checkFile(deps, input.roomId, input.file, input.content, input.mapping);
  if (checked.length === 0)
    throw new AppError('validation_failed', 'The file has no rows below its header; nothing was imported.', {
      fields: { file: 'no rows' },
    });
  if (invalid.length > 0)
    return c.json(
      {
        error: {
          code: 'rows_invalid',
          message: `${invalid.length} of ${checked.length} rows are not valid; nothing was imported.`,
        },
        rows: invalid.slice(0, maxListedErrors),
        total: checked.length,
        invalid: invalid.length,
      },
      422,
    );
  const given = typeof input.title === 'string' ? input.title.trim() : '';
  const title = (given || input.file.name.replace(/\.[^.]+$/, '').trim() || 'Import').slice(0, 200);
  const row = await audited(
    deps.db,
    c,
    (tx) =>
      createDocument(
        tx,
        { roomId: input.roomId, kind: 'actions', title, createdBy: input.userId },
        actionListState(actions),
      ),
    (created) => ({
      action: 'document.import',
      targetType: 'document',
      targetId: created.id,
      roomId: input.roomId,
      details: { format: extensionOf(input.file.name), bytes: input.file.size, rows: actions.length },
    }),
  );
  contentWritten(deps, row.id);
  return c.json({ document: toDocumentMeta(row), droppedImages: 0 }, 201);
}
