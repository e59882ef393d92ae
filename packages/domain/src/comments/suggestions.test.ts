import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { toBase64 } from './comments.ts';
import { locatePassage, planSuggestion } from './suggestions.ts';

function notes(build: (text: Y.XmlText) => void) {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  doc.getXmlFragment('default').insert(0, [paragraph]);
  build(text);
  return { doc, text };
}

const at = (text: Y.XmlText, index: number) =>
  toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index, -1)));

describe('a suggested change', () => {
  it('replaces its passage on a copy and keeps the passage’s formatting', () => {
    const { doc, text } = notes((t) => {
      t.insert(0, 'Frist: ');
      t.insert(7, '31. März', { bold: true });
    });
    const anchor = { type: 'text' as const, start: at(text, 7), end: at(text, 15), quote: '31. März' };
    const plan = planSuggestion(doc, anchor, '30. April');
    if (!('update' in plan) || !plan.update) throw new Error('no edit planned');
    expect(text.toString()).toBe('Frist: <bold>31. März</bold>');
    Y.applyUpdate(doc, plan.update);
    expect(text.toString()).toBe('Frist: <bold>30. April</bold>');
    expect(locatePassage(doc, anchor)).toBe('removed');
  });

  it('plans nothing when the passage already reads as proposed', () => {
    const { doc, text } = notes((t) => t.insert(0, 'SH und MV'));
    const plan = planSuggestion(doc, { type: 'text', start: at(text, 0), end: at(text, 2), quote: 'SH' }, 'SH');
    expect(plan).toEqual({ current: 'SH', update: null });
  });

  it('tells a passage this copy has not received yet from one that was deleted', () => {
    const { doc, text } = notes((t) => t.insert(0, 'Frist: 31. März'));
    const behind = new Y.Doc();
    Y.applyUpdate(behind, Y.encodeStateAsUpdate(doc));
    text.insert(15, ', verlängert');
    const anchor = { type: 'text' as const, start: at(text, 17), end: at(text, 27), quote: 'verlängert' };
    expect(locatePassage(behind, anchor)).toBe('pending');
    expect(locatePassage(doc, anchor)).toMatchObject({ current: 'verlängert' });
    Y.applyUpdate(behind, Y.encodeStateAsUpdate(doc));
    text.delete(15, 12);
    Y.applyUpdate(behind, Y.encodeStateAsUpdate(doc));
    expect(locatePassage(behind, anchor)).toBe('removed');
  });
});
