/** Longest query accepted, in characters. */
export const maxSearchQueryLength = 200;

/** A query split for PostgreSQL: `words` for `websearch_to_tsquery`, `prefix` matched as a prefix. */
export interface ParsedSearchQuery {
  words: string;
  prefix: string | null;
}

/**
 * Splits what a person types: quoted phrases and `-excluded` words go to websearch syntax as they
 * are; the last plain word is also matched as a prefix, so results come while typing ("Resil"
 * finds "IT-Resilienz"). Characters that only mean something to tsquery syntax are dropped from
 * the prefix, which PostgreSQL reads as a quoted lexeme.
 */
export function parseSearchQuery(text: string): ParsedSearchQuery {
  const trimmed = text.trim();
  const quotes = (trimmed.match(/"/g) ?? []).length;
  const match = /(^|\s)([^\s"-][^\s"]*)$/.exec(trimmed);
  // A last word inside an unclosed quote is part of a phrase, not a prefix.
  if (!match || quotes % 2 === 1) return { words: trimmed, prefix: null };
  const prefix = match[2]!.replace(/[&|!():*<>'\\]/g, '');
  return { words: trimmed.slice(0, match.index).trim(), prefix: prefix === '' ? null : prefix };
}
