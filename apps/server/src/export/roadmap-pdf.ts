import {
  type ExportHeading,
  type ExportTable,
  germanDate,
  type Milestone,
  type MilestoneStatus,
  milestoneStatusLabels,
  type NotesBlock,
  type Theme,
} from '@nordraum/domain';
import { drawBlocks, drawTitle, pageFrame } from './notes-pdf.ts';
import { createTaggedPdf, type PdfDoc } from './pdf-document.ts';

/**
 * A roadmap as a tagged PDF in landscape: the timeline as vector graphics (one swimlane per
 * field, a bar per dated milestone, coloured by status, a time axis), a legend, and then a table
 * of all milestones, so the PDF reads without colour and with a screen reader. The timeline is
 * one Figure with alternative text; the table is a real Table.
 */

const statusColours: Record<MilestoneStatus, string> = {
  planned: '#7a8a99',
  in_progress: '#1f6fb2',
  done: '#2e7d32',
  at_risk: '#c77700',
  blocked: '#b3261e',
};

const laneLabelWidth = 150;
const dayMs = 86_400_000;

interface Bar {
  milestone: Milestone;
  from: number;
  to: number;
  row: number;
}

/** Bars of one lane, each in the first row where it overlaps nothing (greedy interval packing). */
function packLane(milestones: Milestone[]): { bars: Bar[]; rows: number } {
  const rowEnds: number[] = [];
  const bars: Bar[] = [];
  const dated = milestones
    .filter((milestone) => milestone.start || milestone.end)
    .map((milestone) => {
      const from = Date.parse(milestone.start ?? milestone.end!);
      const to = Math.max(from, Date.parse(milestone.end ?? milestone.start!)) + dayMs;
      return { milestone, from, to };
    })
    .sort((a, b) => a.from - b.from);
  for (const bar of dated) {
    let row = rowEnds.findIndex((end) => end <= bar.from);
    if (row === -1) row = rowEnds.push(0) - 1;
    rowEnds[row] = bar.to;
    bars.push({ ...bar, row });
  }
  return { bars, rows: Math.max(1, rowEnds.length) };
}

function quarterTicks(from: number, to: number): { at: number; label: string }[] {
  const ticks: { at: number; label: string }[] = [];
  const start = new Date(from);
  let year = start.getUTCFullYear();
  let quarter = Math.floor(start.getUTCMonth() / 3);
  for (;;) {
    const at = Date.UTC(year, quarter * 3, 1);
    if (at > to) break;
    if (at >= from) ticks.push({ at, label: `Q${quarter + 1}/${year}` });
    quarter += 1;
    if (quarter === 4) [quarter, year] = [0, year + 1];
  }
  return ticks;
}

function drawTimeline(doc: PdfDoc, themes: Theme[], milestones: Milestone[], top: number, height: number) {
  const frame = pageFrame(doc);
  const lanes = themes.map((theme) => ({ theme, ...packLane(milestones.filter((m) => m.themeId === theme.id)) }));
  const all = lanes.flatMap((lane) => lane.bars);
  const from = Math.min(...all.map((bar) => bar.from), Date.now());
  const to = Math.max(...all.map((bar) => bar.to), from + 90 * dayMs);
  const left = frame.left + laneLabelWidth;
  const width = frame.width - laneLabelWidth;
  const x = (time: number) => left + ((time - from) / (to - from)) * width;
  const axis = 16;
  const totalRows = lanes.reduce((sum, lane) => sum + lane.rows, 0);
  const rowHeight = Math.max(3, Math.min(16, (height - axis - lanes.length * 6) / totalRows));
  doc.font('regular').fontSize(7.5).fillColor('#333333');
  for (const tick of quarterTicks(from, to)) {
    doc.text(tick.label, x(tick.at) + 2, top, { lineBreak: false });
    doc
      .moveTo(x(tick.at), top + axis - 4)
      .lineTo(x(tick.at), top + height)
      .lineWidth(0.3)
      .strokeColor('#bbbbbb')
      .stroke();
  }
  let y = top + axis;
  for (const lane of lanes) {
    const laneHeight = lane.rows * rowHeight + 6;
    doc.rect(frame.left, y, frame.width, laneHeight).lineWidth(0.5).strokeColor('#808080').stroke();
    doc.font('bold').fontSize(8.5).fillColor('#000000');
    doc.text(lane.theme.name, frame.left + 4, y + 3, {
      width: laneLabelWidth - 8,
      height: laneHeight - 4,
      ellipsis: true,
    });
    for (const bar of lane.bars) {
      const barTop = y + 3 + bar.row * rowHeight;
      const barWidth = Math.max(2, x(bar.to) - x(bar.from));
      doc
        .rect(x(bar.from), barTop, barWidth, rowHeight - 1.5)
        .fillColor(statusColours[bar.milestone.status])
        .fill();
      if (rowHeight >= 9 && barWidth > 24) {
        doc
          .font('regular')
          .fontSize(Math.min(7.5, rowHeight - 3))
          .fillColor('#ffffff');
        doc.text(bar.milestone.title, x(bar.from) + 2, barTop + 1, {
          width: barWidth - 4,
          height: rowHeight - 2,
          lineBreak: false,
          ellipsis: true,
        });
      }
    }
    y += laneHeight;
  }
  doc.fillColor('#000000');
  return y;
}

function drawLegend(doc: PdfDoc, y: number) {
  let x = pageFrame(doc).left;
  doc.font('regular').fontSize(8.5);
  for (const [status, colour] of Object.entries(statusColours) as [MilestoneStatus, string][]) {
    doc
      .rect(x, y + 1, 10, 8)
      .fillColor(colour)
      .fill();
    doc.fillColor('#000000').text(milestoneStatusLabels[status], x + 14, y, { lineBreak: false });
    x += 14 + doc.widthOfString(milestoneStatusLabels[status]) + 18;
  }
}

/** The table of milestones as a notes table, header row first, dates the German way. */
function milestoneTable(table: ExportTable): NotesBlock {
  const cell = (text: string, header: boolean) => ({
    header,
    blocks: [{ type: 'paragraph' as const, runs: [{ text }] }],
  });
  return {
    type: 'table',
    rows: [
      table.header.map((name) => cell(name, true)),
      ...table.rows.map((row) =>
        row.map((value) =>
          cell(value === null ? '' : typeof value === 'string' ? value : germanDate(value.date), false),
        ),
      ),
    ],
  };
}

/** A roadmap as a tagged PDF: timeline, legend, table of milestones. */
export async function roadmapToPdf(
  themes: Theme[],
  milestones: Milestone[],
  table: ExportTable,
  heading: ExportHeading,
): Promise<Uint8Array> {
  const pdf = createTaggedPdf(heading, 'landscape');
  const { doc, root } = pdf;
  drawTitle(pdf, heading);
  const dated = milestones.filter((milestone) => milestone.start || milestone.end).length;
  const figure = doc.struct('Figure', {
    alt: `Zeitleiste der Roadmap: ${dated} Meilensteine mit Termin in ${themes.length} Handlungsfeldern (${themes.map((theme) => theme.name).join(', ')}), farbig nach Status. Alle Meilensteine stehen in der Tabelle danach.`,
  } as PDFKit.Mixins.StructureElementOptions);
  root.add(figure);
  const top = doc.y;
  const height = doc.page.height - doc.page.margins.bottom - top - 24;
  figure.add(() => {
    const bottom = drawTimeline(doc, themes, milestones, top, height);
    drawLegend(doc, bottom + 8);
  });
  figure.end();
  doc.addPage();
  drawBlocks(pdf, [{ type: 'heading', level: 2, runs: [{ text: 'Alle Meilensteine' }] }, milestoneTable(table)]);
  return pdf.finish();
}
