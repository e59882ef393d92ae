import { z } from 'zod';
import { idSchema, plainText, text } from '../schemas.ts';
import { maxCommentLength, maxSuggestionLength, suggestionStatuses } from './body.ts';

// What needs no schema lives in body.ts (the web app loads it without zod); it is part of these too.
export {
  type BodyPart,
  bodyParts,
  fromBase64,
  isRelativePosition,
  maxCommentLength,
  maxSuggestionLength,
  mentionedUserIds,
  mentionToken,
  plainBody,
  type SuggestionStatus,
  suggestionStatuses,
  toBase64,
} from './body.ts';

/**
 * Comments, threads and notifications: the request and response shapes, and the mention token.
 *
 * A comment body is plain text (never rendered as HTML) of 1 to 10,000 characters. A mention is
 * written as the token `@[Name](userId)`: the name is what readers see, the id whom it concerns.
 * The web app inserts tokens from its mention picker; any client may type them by hand.
 */

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
