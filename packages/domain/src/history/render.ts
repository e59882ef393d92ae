import * as Y from 'yjs';

/**
 * The readable text of a notes document: one line per text block (paragraph, heading, list item,
 * code block), in reading order; marks and attributes left out. What a comparison of two states
 * of a notes document compares.
 */
export function notesText(doc: Y.Doc): string {
  const lines: string[] = [];
  collectBlocks(doc.getXmlFragment('default'), lines);
  return lines.join('\n');
}

/**
 * The readable text of one block of a notes document and what is inside it (a list gives a line
 * per item), as `notesText` writes it; null when it holds no text block at all.
 */
export function blockText(node: Y.XmlElement): string | null {
  const lines: string[] = [];
  collectBlocks(node, lines);
  return lines.length === 0 ? null : lines.join('\n');
}

function collectBlocks(node: Y.XmlFragment | Y.XmlElement, lines: string[]) {
  const children = node.toArray();
  if (children.some((child) => child instanceof Y.XmlText)) {
    lines.push(inlineText(node));
    return;
  }
  for (const child of children) if (child instanceof Y.XmlElement) collectBlocks(child, lines);
}

function inlineText(node: Y.XmlFragment | Y.XmlElement): string {
  let text = '';
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as { insert: unknown }[]) if (typeof op.insert === 'string') text += op.insert;
    } else if (child instanceof Y.XmlElement) {
      text += child.nodeName === 'hardBreak' ? '\n' : inlineText(child);
    }
  }
  return text;
}
