import { exportHeading, type NotesBlock } from '@nordraum/domain';
import { describe, expect, it } from 'vitest';
import { sampleProtocol } from '../../../../packages/domain/src/export/sample-protocol.ts';
import { readPdf } from '../../../../tests/helpers/exported.ts';
import { notesToPdf } from './notes-pdf.ts';

const heading = exportHeading({ title: 'Protokoll', roomName: 'AG Küste', now: new Date('2027-03-01T09:00:00Z') });
const paragraph = (text: string): NotesBlock => ({ type: 'paragraph', runs: [{ text }] });

/** A PDF without its creation times and file identifier, which differ from run to run. */
function timeless(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString('latin1')
    .replace(/\(D:\d+Z\)/g, '')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '')
    .replace(/\/ID \[<[0-9a-f]+> <[0-9a-f]+>\]/g, '');
}

describe('fonts reused from one PDF to the next', () => {
  it('give a later document the text it has, after one whose umlauts embedded their base letters', async () => {
    // "Ö" is composed of "O" and a diaeresis: embedding it once left "O" without its character.
    await notesToPdf([paragraph('Ölfeld, Ämter, Übergabe, Öffnungszeiten')], heading);
    const later = await readPdf(await notesToPdf([paragraph('Ostsee, Oldenburg, Uelzen, Amrum')], heading));
    expect(later.text).toContain('Ostsee, Oldenburg, Uelzen, Amrum');
  });

  it('give the same file as a document drawn first', async () => {
    const blocks = [...sampleProtocol(), paragraph('Ostsee, Oldenburg, Ärger, Öl, „Zitat“ – ff fi fl')];
    const first = await notesToPdf(blocks, heading);
    await notesToPdf([paragraph('ÖÄÜ öäü ß Ölfeld – „Zitat“ fi fl ff é à')], heading);
    const again = await notesToPdf(blocks, heading);
    expect(timeless(again)).toBe(timeless(first));
  });
});
