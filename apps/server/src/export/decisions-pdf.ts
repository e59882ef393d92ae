import {
  type Decision,
  type DecisionQuery,
  decisionStatusLabels,
  exportHeading,
  germanDate,
  type NotesBlock,
  type RegisterNames,
  type TextRun,
} from '@nordraum/domain';
import { drawBlocks, drawTitle } from './notes-pdf.ts';
import { createTaggedPdf } from './pdf-document.ts';

/**
 * The decision register as a tagged PDF (landscape, so the wording has room): title, the room,
 * when it was made and which filters it shows, then one table row per decision in the register's
 * order. The table is a real Table with header cells, so it reads with a screen reader.
 */

const versionKinds: Record<Decision['versions'][number]['kind'], string> = {
  approved: 'freigegeben',
  manual: 'benannt',
  restore: 'vor Wiederherstellung',
  auto: 'automatisch',
};

const paragraph = (runs: TextRun[]): NotesBlock => ({ type: 'paragraph', runs });
const cell = (lines: (string | TextRun)[], header = false) => ({
  header,
  blocks: (lines.length > 0 ? lines : ['']).map((line) =>
    paragraph([typeof line === 'string' ? { text: line } : line]),
  ),
});

/** What the filters of the export were, in words (a PDF without them would look complete). */
function filterLine(query: DecisionQuery): string {
  const parts = [
    query.year !== undefined ? `Jahr ${query.year}` : null,
    query.status ? `Status ${decisionStatusLabels[query.status]}` : null,
    query.q?.trim() ? `Text „${query.q.trim()}“` : null,
  ].filter((part) => part !== null);
  return parts.length > 0 ? `Gefiltert: ${parts.join(', ')}` : 'Alle Beschlüsse';
}

function links(entry: Decision, names: RegisterNames): string[] {
  const lines: string[] = [];
  if (entry.meetingId) lines.push(`Sitzung: ${names.meetings.get(entry.meetingId) ?? ''}`);
  if (entry.supersedes) lines.push(`Ersetzt ${names.numbers.get(entry.supersedes) ?? ''}`);
  for (const version of entry.versions)
    lines.push(
      `${version.documentTitle}, Version ${version.name ? `„${version.name}“ ` : ''}(${versionKinds[version.kind]}, ${germanDate(version.createdAt)})`,
    );
  if (entry.actionIds.length > 0) lines.push(`Folgemaßnahmen: ${entry.actionIds.length}`);
  return lines;
}

/** The register (as filtered by `query`) as a tagged PDF. */
export async function decisionsToPdf(
  decisions: Decision[],
  names: RegisterNames,
  options: { roomName: string; query: DecisionQuery; now: Date },
) {
  const heading = exportHeading({ title: 'Beschlussregister', roomName: options.roomName, now: options.now });
  heading.lines.push(filterLine(options.query), `Beschlüsse: ${decisions.length}`);
  const pdf = createTaggedPdf(heading, 'landscape');
  drawTitle(pdf, heading);
  const header = ['Nummer', 'Datum', 'Titel', 'Wortlaut', 'Status', 'Sitzung und Bezüge'];
  const rows = decisions.map((entry) => [
    cell([entry.number]),
    cell([germanDate(entry.date)]),
    cell([{ text: entry.title, bold: true }]),
    cell(entry.text.split('\n')),
    cell([
      decisionStatusLabels[entry.status],
      ...(entry.supersededBy ? [`durch ${names.numbers.get(entry.supersededBy) ?? ''}`] : []),
    ]),
    cell(links(entry, names)),
  ]);
  const table: NotesBlock = { type: 'table', rows: [header.map((name) => cell([name], true)), ...rows] };
  drawBlocks(pdf, decisions.length > 0 ? [table] : [paragraph([{ text: 'Keine Beschlüsse.' }])]);
  return { body: await pdf.finish(), day: heading.day };
}
