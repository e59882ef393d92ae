import type { SearchResult } from '#lib/api/types.ts';

/** One piece of a snippet: text, and whether it is a match. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * Splits a snippet from `GET /api/search` (escaped text with `<mark>` around matches) into parts
 * that are rendered as text nodes: nothing from a document is ever parsed as HTML here.
 */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const pattern = /<mark>(.*?)<\/mark>/g;
  const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => entities[entity]!);
  let last = 0;
  for (const found of snippet.matchAll(pattern)) {
    if (found.index > last) parts.push({ text: decode(snippet.slice(last, found.index)), match: false });
    parts.push({ text: decode(found[1]!), match: true });
    last = found.index + found[0].length;
  }
  if (last < snippet.length) parts.push({ text: decode(snippet.slice(last)), match: false });
  return parts;
}

/** Where a result opens: the document at the milestone, the action, the thread or the matched words; a decision in its register. */
export function resultHref(result: Pick<SearchResult, 'documentId' | 'roomId' | 'anchor'>): string {
  const anchor = result.anchor;
  if (anchor?.type === 'decision') {
    return `/rooms/${result.roomId}/decisions#decision-${encodeURIComponent(anchor.decisionId)}`;
  }
  if (!result.documentId) return `/rooms/${result.roomId}`;
  const base = `/documents/${result.documentId}`;
  if (anchor?.type === 'milestone') return `${base}#milestone-${encodeURIComponent(anchor.milestoneId)}`;
  if (anchor?.type === 'action') return `${base}#action-${encodeURIComponent(anchor.actionId)}`;
  if (anchor?.type === 'text') return `${base}?find=${encodeURIComponent(anchor.quote)}`;
  if (anchor?.type === 'thread') return `${base}?thread=${encodeURIComponent(anchor.threadId)}`;
  return base;
}
