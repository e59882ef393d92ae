/**
 * Export figures: `npm run bench:export`. A 50-page protocol (headings, paragraphs with marks and
 * links, lists, task lists, tables, umlauts) to PDF, ODT, DOCX and Markdown, in process, the
 * writers alone (no HTTP, no database): the first run in the process (cold: fonts parsed, every
 * word shaped) and the median of 5 runs after it (warm: shaped words are remembered per process),
 * and the page count of the PDF. Target: PDF and ODT under 2 s each.
 */
import { exportHeading, type NotesBlock } from '@nordraum/domain';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { exportNotes, type NotesFormat } from '../apps/server/src/export/notes-export.ts';
import { sampleProtocol } from '../packages/domain/src/export/sample-protocol.ts';

/** About 50 A4 pages: the sample protocol with a long paragraph, repeated. */
function longProtocol(): NotesBlock[] {
  const text =
    'Die Arbeitsgruppe hat die Ergebnisse des Workshops zur Registermodernisierung beraten und festgehalten, ' +
    'welche Maßnahmen die Länder Schleswig-Holstein und Mecklenburg-Vorpommern gemeinsam mit Dataport umsetzen. ';
  const blocks: NotesBlock[] = [];
  for (let section = 0; section < 72; section++) {
    blocks.push(...sampleProtocol(), { type: 'paragraph', runs: [{ text: text.repeat(4) }] });
  }
  return blocks;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const blocks = longProtocol();
const heading = exportHeading({ title: 'Workshop-Protokoll Bench', roomName: 'AG Bench', now: new Date() });
const rows: string[][] = [];
for (const format of ['pdf', 'odt', 'docx', 'md'] as NotesFormat[]) {
  const coldStart = performance.now();
  let bytes = await exportNotes(format, blocks, heading);
  const cold = performance.now() - coldStart;
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    bytes = await exportNotes(format, blocks, heading);
    times.push(performance.now() - start);
  }
  let pages = '';
  if (format === 'pdf') pages = String((await getDocument({ data: bytes.slice() }).promise).numPages);
  rows.push([
    format,
    `${cold.toFixed(0)} ms`,
    `${median(times).toFixed(0)} ms`,
    `${(bytes.byteLength / 1024).toFixed(0)} KiB`,
    pages,
  ]);
}
console.log('Export of a long protocol: first run, and median of 5 after it');
console.table(rows.map(([format, cold, warm, size, pages]) => ({ format, cold, warm, size, pages })));
