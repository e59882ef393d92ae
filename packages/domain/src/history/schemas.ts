import { z } from 'zod';
import { idSchema, text } from '../schemas.ts';

/**
 * The API shapes of document history: versions and the comparison of two states. Kept apart from
 * ../schemas.ts so the history feature stays in one folder; exported through the package root.
 */

/** `manual`: named by someone; `auto`: kept when editing went quiet; `restore`: the state just before a restore; `approved`: set by a steering-committee review. */
export const versionKinds = ['manual', 'auto', 'restore', 'approved'] as const;
export type VersionKind = (typeof versionKinds)[number];

export const version = z.object({
  id: z.uuid(),
  name: z.string().nullable(),
  kind: z.enum(versionKinds),
  createdAt: z.string(),
  createdBy: z
    .object({ id: z.uuid(), name: z.string(), organization: z.object({ code: z.string() }) })
    .nullable()
    .describe('who named or restored it; null for automatic versions and deleted accounts'),
  bytes: z.number().int().describe('size of the stored Yjs state'),
});
export type DocumentVersion = z.infer<typeof version>;

export const createVersionBody = z.object({ name: text(200) });
export const versionParam = z.object({ documentId: idSchema, versionId: idSchema });
export const changesQuery = z.object({
  against: z
    .union([z.literal('current'), idSchema])
    .default('current')
    .describe('the newer side: another version id, or `current` for the live document'),
});

/** A field of a milestone or action that differs, as text (lists joined by ", "); null when empty. */
export const fieldChange = z.object({ field: z.string(), before: z.string().nullable(), after: z.string().nullable() });
export type FieldChange = z.infer<typeof fieldChange>;

/** What about a milestone or action changed, beyond its fields: what people look for first. */
export const changeAspects = ['moved', 'reassigned', 'redated', 'status', 'content'] as const;
export type ChangeAspect = (typeof changeAspects)[number];

/** A run of text of a notes document, unchanged, inserted or deleted, in reading order. */
export const textChange = z.object({
  kind: z.literal('text'),
  op: z.enum(['equal', 'inserted', 'deleted']),
  text: z.string(),
});

/** A milestone, theme or action that was added, removed or changed (`fields`: old -> new). */
export const itemChange = z.object({
  kind: z.enum(['milestone', 'theme', 'action']),
  id: z.string(),
  title: z.string(),
  change: z.enum(['added', 'removed', 'changed']),
  aspects: z.array(z.enum(changeAspects)),
  fields: z.array(fieldChange),
});

export const changeItem = z.discriminatedUnion('kind', [textChange, itemChange]);
export type TextChange = z.infer<typeof textChange>;
export type ItemChange = z.infer<typeof itemChange>;
export type ChangeItem = z.infer<typeof changeItem>;

export const changes = z.object({
  summary: z
    .object({ added: z.number().int(), removed: z.number().int(), changed: z.number().int() })
    .describe('notes: insertions, deletions and replacements of text; lists: items added, removed, changed'),
  items: z
    .array(changeItem)
    .describe('notes: the whole text as runs (`kind: text`); roadmaps and action lists: only the items that differ'),
});
export type Changes = z.infer<typeof changes>;
