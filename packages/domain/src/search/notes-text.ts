import * as Y from 'yjs';

/** Elements of the notes editor that end a line of text (paragraphs, headings, list items, cells). */
const blockNames = new Set([
  'paragraph',
  'heading',
  'listItem',
  'taskItem',
  'tableCell',
  'tableHeader',
  'codeBlock',
  'blockquote',
  'horizontalRule',
]);

/**
 * The plain text of a notes document (its `default` XmlFragment, as TipTap writes it): one line
 * per block, marks dropped. For search and comparison, never for display of formatting.
 */
export function notesText(doc: Y.Doc): string {
  const lines: string[] = [];
  let line = '';
  const walk = (node: Y.XmlElement | Y.XmlText | Y.XmlFragment | Y.XmlHook) => {
    if (node instanceof Y.XmlText) {
      for (const op of node.toDelta() as { insert?: unknown }[]) if (typeof op.insert === 'string') line += op.insert;
      return;
    }
    if (node instanceof Y.XmlHook) return;
    const block = node instanceof Y.XmlElement && blockNames.has(node.nodeName);
    for (const child of node.toArray()) walk(child as Y.XmlElement | Y.XmlText);
    if (block && line.trim() !== '') {
      lines.push(line.trim());
      line = '';
    }
  };
  walk(doc.getXmlFragment('default'));
  if (line.trim() !== '') lines.push(line.trim());
  return lines.join('\n');
}
