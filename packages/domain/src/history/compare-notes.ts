import { diffLines, diffWordsWithSpace } from 'diff';
import type { Changes, TextChange } from './schemas.ts';

/**
 * How long a word-level comparison may take before it gives up and compares whole lines (which
 * is coarser, but bounded): two versions that share little would otherwise cost seconds.
 */
const wordDiffTimeoutMs = 1_000;

/**
 * Compares two texts word by word: the whole text as runs in reading order, and a count where a
 * deletion followed by an insertion is one replacement (`changed`).
 */
export function compareText(before: string, after: string): Changes {
  const parts = diffWordsWithSpace(before, after, { timeout: wordDiffTimeoutMs }) ?? diffLines(before, after);
  const items: TextChange[] = [];
  const summary = { added: 0, removed: 0, changed: 0 };
  for (const [index, part] of parts.entries()) {
    const op = part.added ? 'inserted' : part.removed ? 'deleted' : 'equal';
    items.push({ kind: 'text', op, text: part.value });
    if (op === 'deleted') {
      if (parts[index + 1]?.added) summary.changed += 1;
      else summary.removed += 1;
    } else if (op === 'inserted' && !parts[index - 1]?.removed) {
      summary.added += 1;
    }
  }
  return { summary, items };
}
