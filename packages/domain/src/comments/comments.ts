import * as Y from 'yjs';
import { z } from 'zod';
import { idSchema, plainText, text } from '../schemas.ts';

/**
 * Comments, threads and notifications: the request and response shapes, and the mention token.
 *
 * A comment body is plain text (never rendered as HTML) of 1 to 10,000 characters. A mention is
 * written as the token `@[Name](userId)`: the name is what readers see, the id whom it concerns.
 * The web app inserts tokens from its mention picker; any client may type them by hand.
 */

/** Longest comment body, in UTF-16 code units as JavaScript counts them. */
export const maxCommentLength = 10_000;

const mentionPattern = /@\[([^\]\n]{1,200})\]\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)/gi;

/** One piece of a comment body: plain text, or a mention of a person. */
export type BodyPart = { type: 'text'; text: string } | { type: 'mention'; name: string; userId: string };

/** Splits a body into text and mentions, in order (for showing it without any HTML). */
export function bodyParts(body: string): BodyPart[] {
  const parts: BodyPart[] = [];
  let last = 0;
  for (const match of body.matchAll(mentionPattern)) {
    if (match.index > last) parts.push({ type: 'text', text: body.slice(last, match.index) });
    parts.push({ type: 'mention', name: match[1]!, userId: match[2]!.toLowerCase() });
    last = match.index + match[0].length;
  }
  if (last < body.length) parts.push({ type: 'text', text: body.slice(last) });
  return parts;
}

/** The distinct ids of the people a body mentions. */
export function mentionedUserIds(body: string): string[] {
  const ids = bodyParts(body).flatMap((part) => (part.type === 'mention' ? [part.userId] : []));
  return [...new Set(ids)];
}

/** The body with mention tokens shown as `@Name`, for mails and excerpts. */
export function plainBody(body: string): string {
  return bodyParts(body)
    .map((part) => (part.type === 'text' ? part.text : `@${part.name}`))
    .join('');
}

/** A mention token for a person, as the picker inserts it. */
export function mentionToken(name: string, userId: string): string {
  const shown = name.replaceAll('[', '(').replaceAll(']', ')').replaceAll('\n', ' ').slice(0, 200);
  return `@[${shown}](${userId})`;
}

const itemId = z.string().min(1).max(200);
const relativePosition = z
  .string()
  .min(1)
  .max(2_000)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'must be base64' });

/**
 * Where a thread sits. For notes, `text`: `start` and `end` are base64 of
 * `Y.encodeRelativePosition(Y.createRelativePositionTypeIndex(fragment, index))` against the
 * document's notes `Y.XmlFragment` (the ProseMirror index of the collaboration plugin), so the
 * range stays on the same words while others edit; `quote` is the text as it was, shown when the
 * passage has been deleted.
 */
export const threadAnchorSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('document') }),
  z.object({ type: z.literal('milestone'), milestoneId: itemId }),
  z.object({ type: z.literal('action'), actionId: itemId }),
  z.object({ type: z.literal('text'), start: relativePosition, end: relativePosition, quote: z.string().max(2_000) }),
]);
export type ThreadAnchor = z.infer<typeof threadAnchorSchema>;

/** Longest proposed replacement of a suggested change (as long as a quote may be). */
export const maxSuggestionLength = 2_000;

/** A comment body as typed: plain text, 1 to 10,000 characters. */
export const commentBodySchema = text(maxCommentLength);

/**
 * A suggested change on a notes passage (a `text` anchor): the text proposed in its place, up to
 * 2,000 characters; empty proposes to delete the passage.
 */
export const suggestionInput = z.object({ text: plainText(maxSuggestionLength) });

export const createThreadBody = z.object({
  body: commentBodySchema,
  anchor: threadAnchorSchema,
  suggestion: suggestionInput.optional(),
});
/** Accepting a suggestion whose passage reads differently from its quote needs `confirm: true`. */
export const acceptSuggestionBody = z.object({ confirm: z.boolean().optional() });
export const createCommentBody = z.object({ body: commentBodySchema });
export const updateThreadBody = z.object({ resolved: z.boolean() });
export const threadIdParam = z.object({ threadId: idSchema });
export const commentIdParam = z.object({ id: idSchema });

const person = z.object({ id: z.uuid(), name: z.string(), organization: z.object({ code: z.string() }) });

export const comment = z.object({
  id: z.uuid(),
  threadId: z.uuid(),
  author: person.nullable(),
  body: z.string(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
});
export type Comment = z.infer<typeof comment>;

/** Where a suggested change stands: waiting for an editor, taken into the text, or turned down. */
export const suggestionStatuses = ['open', 'accepted', 'rejected'] as const;
export type SuggestionStatus = (typeof suggestionStatuses)[number];

/** A thread's suggested change: the proposed text, who proposed it, and who decided on it. */
export const suggestion = z.object({
  text: z.string(),
  status: z.enum(suggestionStatuses),
  author: person.nullable(),
  decidedBy: person.nullable(),
  decidedAt: z.string().nullable(),
});
export type Suggestion = z.infer<typeof suggestion>;

export const thread = z.object({
  id: z.uuid(),
  documentId: z.uuid(),
  anchor: threadAnchorSchema,
  resolved: z.boolean(),
  resolvedBy: person.nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
  comments: z.array(comment),
  /** A suggested change, on a passage of notes; null on other threads. */
  suggestion: suggestion.nullable(),
});
export type Thread = z.infer<typeof thread>;

/** People a mention may name: everyone who may read the document. */
export const mentionCandidate = person;
export type MentionCandidate = z.infer<typeof mentionCandidate>;

/** Base64 (standard alphabet) to bytes, without Node's Buffer (the web app uses this too). */
export function fromBase64(value: string): Uint8Array {
  return Uint8Array.from(atob(value), (char) => char.charCodeAt(0));
}

/** Bytes to base64 (standard alphabet). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Whether a string is base64 of an encoded Yjs relative position. */
export function isRelativePosition(value: string): boolean {
  try {
    // Yjs' decoder is lenient about what follows; a position must encode back to the same bytes.
    const bytes = fromBase64(value);
    return toBase64(Y.encodeRelativePosition(Y.decodeRelativePosition(bytes))) === toBase64(bytes);
  } catch {
    return false;
  }
}
