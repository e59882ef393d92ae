/**
 * Export figures: `npm run bench:export`. A 50-page protocol (headings, paragraphs with marks and
 * links, lists, task lists, tables, umlauts) to PDF, ODT, DOCX and Markdown, in process, the
 * writers alone (no HTTP, no database): the first run in the process (cold: fonts parsed, every
 * word shaped) and the median of 5 runs after it (warm: code compiled, font files read),
 * and the page count of the PDF; a roadmap of 200 milestones to PDF the same way. Targets: PDF and
 * ODT under 2 s each, the roadmap under 2 s. Then the import of a 5 MB DOCX (see docx-bench-file.ts)
 * into a notes document's Y.Doc, as the import route does it. Target: under 5 s.
 * Then live editing during exports (bench/export-load.ts): the server as `npm start` runs it, y-websocket
 * clients typing on other documents, edit-to-remote p99 without and with PDF exports running back to
 * back, with the export worker and (for comparison) rendering in the main thread. Target: +5 ms at most.
 */

import {
  agreementThemes,
  exportHeading,
  type NotesBlock,
  roadmapOf,
  roadmapTable,
  writeNotesTree,
} from '@nordraum/domain';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import * as Y from 'yjs';
import { exportNotes, type NotesFormat } from '../apps/server/src/export/notes-export.ts';
import { roadmapToPdf } from '../apps/server/src/export/roadmap-pdf.ts';
import { docxToNotes } from '../apps/server/src/import/notes-import.ts';
import { sampleProtocol } from '../packages/domain/src/export/sample-protocol.ts';
import { syncDuringExports } from './bench/export-load.ts';
import { withPhotos } from './docx-bench-file.ts';

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

/** A roadmap of 200 milestones over two years in the five fields. */
function bigRoadmap() {
  const roadmap = roadmapOf(new Y.Doc());
  roadmap.initialise();
  const themes = roadmap.themes();
  for (let index = 0; index < 200; index++) {
    const start = new Date(Date.UTC(2027, 0, 1) + ((index * 3) % 700) * 86_400_000);
    const end = new Date(start.getTime() + (20 + (index % 90)) * 86_400_000);
    roadmap.addMilestone({
      themeId: themes[index % themes.length]!.id,
      title: `Meilenstein ${index + 1}: Überprüfung der Schnittstellen`,
      start: start.toISOString().slice(0, 10),
      end: end.toISOString().slice(0, 10),
      lead: index % 2 ? 'SH' : 'MV',
    });
  }
  return { themes: roadmap.themes(), milestones: roadmap.milestones() };
}

const { themes, milestones } = bigRoadmap();
const table = roadmapTable(themes, milestones, new Map());
const roadmapTimes: number[] = [];
let roadmapBytes: Uint8Array = new Uint8Array();
for (let run = 0; run < 6; run++) {
  const start = performance.now();
  roadmapBytes = await roadmapToPdf(themes, milestones, table, heading);
  roadmapTimes.push(performance.now() - start);
}
const roadmapPages = (await getDocument({ data: roadmapBytes.slice() }).promise).numPages;
console.log(
  `Roadmap of ${milestones.length} milestones (${agreementThemes.length} fields) to PDF: first ${roadmapTimes[0]!.toFixed(0)} ms, then median ${median(roadmapTimes.slice(1)).toFixed(0)} ms, ${roadmapPages} pages`,
);

// Import of a 5 MB DOCX: the long protocol's own DOCX export with photos, as a real 5 MB file is
// mostly images (its text alone is under 100 KiB zipped). Timed: reading it (mammoth, images
// counted and dropped) and writing the notes tree, the work of POST /api/rooms/:roomId/imports.
const docx = await withPhotos(await exportNotes('docx', blocks, heading), 5 * 1024 * 1024);
const importTimes: number[] = [];
let imported = { blocks: 0, dropped: 0, update: 0 };
for (let run = 0; run < 4; run++) {
  const start = performance.now();
  const notes = await docxToNotes(docx);
  const doc = new Y.Doc();
  writeNotesTree(doc, notes.blocks);
  const update = Y.encodeStateAsUpdate(doc);
  importTimes.push(performance.now() - start);
  imported = { blocks: notes.blocks.length, dropped: notes.droppedImages, update: update.byteLength };
  doc.destroy();
}
console.log(
  `Import of a ${(docx.byteLength / 1024 / 1024).toFixed(1)} MB DOCX (${imported.blocks} blocks, ${imported.dropped} images dropped, ${(imported.update / 1024).toFixed(0)} KiB Yjs update): first ${importTimes[0]!.toFixed(0)} ms, then median ${median(importTimes.slice(1)).toFixed(0)} ms (target < 5000 ms)`,
);
console.log('\nLive editing on other documents while the 50-page protocol is exported to PDF back to back');
const live: Record<string, string | number>[] = [];
for (const [workers, niceness] of [
  [1, 10],
  [1, 19],
  [0, 0],
]) {
  const result = await syncDuringExports(workers!, niceness!, blocks);
  live.push({
    rendering: workers ? `worker thread (${workers}), nice ${niceness}` : 'main thread',
    'p50 alone': `${result.quietP50.toFixed(1)} ms`,
    'p99 alone': `${result.quietP99.toFixed(1)} ms`,
    'p50 exporting': `${result.busyP50.toFixed(1)} ms`,
    'p99 exporting': `${result.busyP99.toFixed(1)} ms`,
    'p99 change': `${(result.busyP99 - result.quietP99).toFixed(1)} ms`,
    exports: result.exports,
    'export median': `${result.exportMedianMs.toFixed(0)} ms`,
    delivered: result.delivered,
  });
}
console.table(live);
// The typists' providers and the HTTP client's kept-alive sockets would keep the process (and the
// benchmark lock) open after the tables: end here.
process.exit(process.exitCode ?? 0);
