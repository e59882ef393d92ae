import * as Y from 'yjs';

/** Test helpers: notes documents written the way TipTap stores them (paragraphs of XmlText). */

/** Replaces a notes document's content by one paragraph per line. */
export function writeParagraphs(doc: Y.Doc, lines: string[]) {
  const fragment = doc.getXmlFragment('default');
  doc.transact(() => {
    fragment.delete(0, fragment.length);
    fragment.insert(0, lines.map(paragraph));
  });
}

/** A paragraph element holding `text`. */
export function paragraph(text: string): Y.XmlElement {
  const element = new Y.XmlElement('paragraph');
  element.insert(0, [new Y.XmlText(text)]);
  return element;
}

/** Two documents that exchange every update, as two connected clients would. */
export function connectedPair(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (update: Uint8Array, origin: unknown) => origin !== b && Y.applyUpdate(b, update, a));
  b.on('update', (update: Uint8Array, origin: unknown) => origin !== a && Y.applyUpdate(a, update, b));
  return [a, b];
}
