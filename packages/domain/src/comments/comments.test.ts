import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bodyParts, isRelativePosition, mentionedUserIds, mentionToken, plainBody, toBase64 } from './comments.ts';

const anna = '0b5c6f7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const bernd = '1c6d7f8e-2b3c-4d5e-9f0a-1b2c3d4e5f60';

describe('mentions in a comment body', () => {
  it('finds each person mentioned once, in order', () => {
    const body = `Hallo @[Anna Ahrens](${anna}) und @[Bernd](${bernd}), @[Anna](${anna.toUpperCase()})`;
    expect(mentionedUserIds(body)).toEqual([anna, bernd]);
  });

  it('splits text and mentions without ever making markup of the text', () => {
    expect(bodyParts(`<b>Hi</b> @[Anna](${anna})!`)).toEqual([
      { type: 'text', text: '<b>Hi</b> ' },
      { type: 'mention', name: 'Anna', userId: anna },
      { type: 'text', text: '!' },
    ]);
    expect(plainBody(`Frage an @[Anna](${anna})`)).toBe('Frage an @Anna');
  });

  it('writes a token the parser reads back, even for names with brackets', () => {
    expect(bodyParts(mentionToken('Anna [SH]', anna))).toEqual([{ type: 'mention', name: 'Anna (SH)', userId: anna }]);
  });

  it('takes an @ without a token as text', () => {
    expect(mentionedUserIds('mail an anna@sh.example, @Anna')).toEqual([]);
  });
});

describe('text anchors', () => {
  it('accepts an encoded relative position and refuses other base64', () => {
    const doc = new Y.Doc();
    const text = new Y.XmlText('Protokoll');
    doc.getXmlFragment('default').insert(0, [text]);
    const position = Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, 3));
    expect(isRelativePosition(toBase64(position))).toBe(true);
    expect(isRelativePosition('AAAA')).toBe(false);
    expect(isRelativePosition('////')).toBe(false);
  });
});
