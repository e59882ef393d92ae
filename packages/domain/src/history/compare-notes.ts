import { type ChangeObject, diffLines, diffWordsWithSpace } from 'diff';
import type { Changes, TextChange } from './schemas.ts';

/**
 * How long the word comparison of one changed passage may take before it gives up and shows the
 * passage as deleted and inserted whole: bounded work per request, whatever people paste.
 */
const wordDiffTimeoutMs = 200;

/**
 * Compares two texts: line by line first (a 50-page protocol has a few hundred lines, and most
 * are equal), then word by word inside each passage that changed. Compared word by word in one go,
 * a 50-page protocol took over a second; this way the words compared are only the changed ones.
 */
function runsOf(before: string, after: string): ChangeObject<string>[] {
  const lines = diffLines(before, after);
  const runs: ChangeObject<string>[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const part = lines[index]!;
    const next = lines[index + 1];
    if (part.removed && next?.added) {
      const words = diffWordsWithSpace(part.value, next.value, { timeout: wordDiffTimeoutMs });
      runs.push(...(words ?? [part, next]));
      index += 1;
    } else {
      runs.push(part);
    }
  }
  return runs;
}

/**
 * Compares two texts: the whole text as runs in reading order, and a count where a deletion
 * followed by an insertion is one replacement (`changed`).
 */
export function compareText(before: string, after: string): Changes {
  const parts = runsOf(before, after);
  const items: TextChange[] = [];
  const summary = { added: 0, removed: 0, changed: 0 };
  for (const [index, part] of parts.entries()) {
    const op = part.added ? 'inserted' : part.removed ? 'deleted' : 'equal';
    const last = items.at(-1);
    // Runs of one kind that meet (a line's end and the next line's start) read as one.
    if (last?.op === op) last.text += part.value;
    else items.push({ kind: 'text', op, text: part.value });
    if (op === 'deleted') {
      if (parts[index + 1]?.added) summary.changed += 1;
      else summary.removed += 1;
    } else if (op === 'inserted' && !parts[index - 1]?.removed) {
      summary.added += 1;
    }
  }
  return { summary, items };
}
