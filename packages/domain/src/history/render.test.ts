import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { blockText, notesText } from './render.ts';

/** What a block's text was read as before: the string inserts of each text's delta, joined. */
const fromDelta = (text: Y.XmlText) =>
  (text.toDelta() as { insert: unknown }[])
    .map((op) => op.insert)
    .filter((insert) => typeof insert === 'string')
    .join('');

describe('readable text of notes', () => {
  it('reads a text block as its delta has it: formatted runs, deletions and embeds', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('default');
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText('Beschluss der AG');
    paragraph.insert(0, [text]);
    fragment.insert(0, [paragraph]);
    text.format(0, 9, { bold: true });
    text.insert(9, ' vorläufig', { italic: true });
    text.delete(0, 3);
    text.insertEmbed(4, { image: 'bild.png' });
    text.insertEmbed(5, '[Anlage]' as unknown as object);
    expect(blockText(paragraph)).toBe(fromDelta(text));
    expect(notesText(doc)).toBe('chlu[Anlage]ss vorläufig der AG');
  });
});
