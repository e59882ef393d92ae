import { toBase64 } from '@nordraum/domain';
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import {
  absolutePositionToRelativePosition,
  initProseMirrorDoc,
  relativePositionToAbsolutePosition,
} from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { absolutePosition, type Binding } from './anchor-positions.ts';

const schema = getSchema([StarterKit]);

function element(name: string, children: (Y.XmlElement | Y.XmlText)[], attrs: Record<string, string> = {}) {
  const node = new Y.XmlElement(name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  node.insert(0, children);
  return node;
}
const paragraph = (...texts: string[]) =>
  element(
    'paragraph',
    texts.map((text) => new Y.XmlText(text)),
  );

/** The editor's view of the fragment now: its document and the binding's mapping. */
function reading(ydoc: Y.Doc): { binding: Binding; doc: ReturnType<typeof initProseMirrorDoc>['doc'] } {
  const type = ydoc.getXmlFragment('default');
  const { doc, mapping } = initProseMirrorDoc(type, schema);
  return { binding: { type, doc: ydoc, mapping: mapping as Map<unknown, unknown> }, doc };
}

describe('anchor positions read from one walk', () => {
  it('agree with the collaboration plugin for every position, also after edits and deletions', () => {
    const ydoc = new Y.Doc();
    const fragment = ydoc.getXmlFragment('default');
    fragment.insert(0, [
      element('heading', [new Y.XmlText('Protokoll')], { level: '2' }),
      paragraph('Die AG tagt ', 'monatlich.'),
      element('bulletList', [
        element('listItem', [paragraph('Erster Punkt')]),
        element('listItem', [
          paragraph('Zweiter Punkt'),
          element('bulletList', [element('listItem', [paragraph('tief')])]),
        ]),
      ]),
      paragraph(''),
      paragraph('Nächster Termin im März.'),
    ]);
    const first = reading(ydoc);
    const encoded: string[] = [];
    for (let pos = 0; pos <= first.doc.content.size; pos += 1) {
      const relative = absolutePositionToRelativePosition(pos, fragment, first.binding.mapping as never);
      encoded.push(toBase64(Y.encodeRelativePosition(relative)));
    }
    const compare = ({ binding, doc }: ReturnType<typeof reading>) => {
      let gone = 0;
      for (const value of encoded) {
        const expected = relativePositionToAbsolutePosition(
          ydoc,
          fragment,
          Y.decodeRelativePosition(Uint8Array.from(atob(value), (c) => c.charCodeAt(0))),
          binding.mapping as never,
        );
        expect(absolutePosition(binding, doc, value)).toBe(expected);
        // Asked again (from the reading's cache), the same answer.
        expect(absolutePosition(binding, doc, value)).toBe(expected);
        if (expected === null) gone += 1;
      }
      return gone;
    };
    expect(compare(first)).toBe(0);

    // Words typed before and inside passages, a paragraph and a list item deleted.
    const text = (fragment.get(1) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(0, 'Heute: ');
    text.insert(15, 'XYZ');
    fragment.delete(3, 1);
    (fragment.get(2) as Y.XmlElement).delete(0, 1);
    expect(compare(reading(ydoc))).toBeGreaterThan(0);
  });
});
