import type { Editor } from '@tiptap/core';

/**
 * Selects the first occurrence of `quote` in the editor's text (case-insensitively, within one
 * paragraph or heading) and scrolls it into view: where a search result opens a protocol.
 * Returns whether it was found.
 */
export function findInEditor(editor: Editor, quote: string): boolean {
  const needle = quote.toLocaleLowerCase('de');
  if (needle === '') return false;
  let found: { from: number; to: number } | undefined;
  editor.state.doc.descendants((node, position) => {
    if (found) return false;
    if (!node.isTextblock) return true;
    const index = node.textContent.toLocaleLowerCase('de').indexOf(needle);
    if (index >= 0) found = { from: position + 1 + index, to: position + 1 + index + quote.length };
    return false;
  });
  if (!found) return false;
  editor.chain().setTextSelection(found).scrollIntoView().focus().run();
  return true;
}
