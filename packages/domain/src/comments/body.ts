import * as Y from 'yjs';

/**
 * The parts of comments that need no schema: the body and its mention tokens, the limits, the
 * states of a suggestion, base64. The web app's pages import these without loading zod, which
 * the schemas in comments.ts need.
 */

/** Longest comment body, in UTF-16 code units as JavaScript counts them. */
export const maxCommentLength = 10_000;

/**
 * The most comments one document holds (all threads, resolved ones too): 5,000. Every reader of
 * the document loads all of them at once (its thread list and its live stream start with them),
 * so without a bound one member could make each of those answers as large as they liked.
 */
export const maxDocumentComments = 5_000;

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

/** Longest proposed replacement of a suggested change (as long as a quote may be). */
export const maxSuggestionLength = 2_000;

/** Where a suggested change stands: waiting for an editor, taken into the text, or turned down. */
export const suggestionStatuses = ['open', 'accepted', 'rejected'] as const;
export type SuggestionStatus = (typeof suggestionStatuses)[number];

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
