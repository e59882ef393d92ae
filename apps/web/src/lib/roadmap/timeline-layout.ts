import { compareCodeUnits, type Milestone, type Theme } from '@nordraum/domain';
import { daysBetween, nextQuarter, quarterOf, quarterStart } from './dates.ts';

/** Geometry of the timeline, in SVG user units (CSS pixels at 100 % zoom). */
export const geometry = {
  labelWidth: 240,
  dayWidth: 2,
  axisHeight: 52,
  rowHeight: 40,
  barHeight: 28,
  lanePadding: 8,
  undatedWidth: 120,
  minBarWidth: 12,
  /** Rough width of one character of the 13 px bar text, to keep labels from overlapping. */
  charWidth: 7,
} as const;

/** One milestone placed on the timeline. */
export interface BarLayout {
  milestone: Milestone;
  /** First and last day shown (swapped when the end lies before the start). */
  from: string | null;
  to: string | null;
  x: number;
  y: number;
  width: number;
  /** True when the label does not fit inside and is drawn after the bar. */
  labelOutside: boolean;
  undated: boolean;
}

/** One theme's swimlane. */
export interface LaneLayout {
  id: string;
  name: string;
  colour: string;
  /** The lane collects milestones whose theme does not exist. */
  unknown: boolean;
  y: number;
  height: number;
  nameLines: string[];
  bars: BarLayout[];
}

export interface TimelineLayout {
  start: string;
  end: string;
  width: number;
  height: number;
  quarters: { x: number; width: number; quarter: number; year: number }[];
  todayX: number;
  lanes: LaneLayout[];
  /** x of a date. */
  xOf: (iso: string) => number;
}

/** The first and last date a milestone covers, swapping a reversed range. */
function span(milestone: Milestone): { from: string | null; to: string | null } {
  const from = milestone.start ?? milestone.end;
  const to = milestone.end ?? milestone.start;
  if (from && to && to < from) return { from: to, to: from };
  return { from, to };
}

/** Splits a theme name into lines of about `width` characters for the lane header. */
function wrap(text: string, width = 28): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && `${line} ${word}`.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

/**
 * Lays out lanes and bars: the range runs from the quarter of the earliest date (or today) to one
 * quarter past the latest, at least four quarters; bars of a lane are stacked into rows so that
 * neither bars nor their labels overlap. `labelOf` gives the text drawn for each bar.
 */
export function layoutTimeline(
  themes: readonly Theme[],
  milestones: readonly Milestone[],
  today: string,
  labelOf: (milestone: Milestone) => string,
  unknownThemeName: string,
): TimelineLayout {
  const g = geometry;
  const dates = [today];
  for (const milestone of milestones) {
    if (milestone.start) dates.push(milestone.start);
    if (milestone.end) dates.push(milestone.end);
  }
  dates.sort();
  const start = quarterStart(dates[0]!);
  const last = nextQuarter(dates[dates.length - 1]!);
  const quarters: TimelineLayout['quarters'] = [];
  const xOf = (iso: string) => g.labelWidth + daysBetween(start, iso) * g.dayWidth;
  let quarter = start;
  // One quarter of room after the latest date, so a bar can be dragged later; four at least.
  while (quarter <= last || quarters.length < 4) {
    const next = nextQuarter(quarter);
    quarters.push({ x: xOf(quarter), width: daysBetween(quarter, next) * g.dayWidth, ...quarterOf(quarter) });
    quarter = next;
  }
  const end = quarter;

  const known = new Set(themes.map((theme) => theme.id));
  const byTheme = new Map<string, Milestone[]>();
  for (const milestone of milestones) {
    const key = known.has(milestone.themeId) ? milestone.themeId : '';
    byTheme.set(key, [...(byTheme.get(key) ?? []), milestone]);
  }
  const laneSources = themes.map((theme) => ({ ...theme, unknown: false }));
  if (byTheme.has(''))
    laneSources.push({ id: '', name: unknownThemeName, colour: '#555555', order: 0, issues: [], unknown: true });

  let y = g.axisHeight;
  let widest = 0;
  const lanes: LaneLayout[] = laneSources.map((theme) => {
    const rowsEnd: number[] = [];
    const entries = (byTheme.get(theme.id) ?? [])
      .map((milestone) => ({ milestone, ...span(milestone) }))
      .sort(
        (a, b) => compareCodeUnits(a.from ?? '', b.from ?? '') || a.milestone.title.localeCompare(b.milestone.title),
      );
    const bars: BarLayout[] = entries.map(({ milestone, from, to }) => {
      const undated = from === null || to === null;
      const x = undated ? g.labelWidth + 4 : xOf(from);
      const width = undated ? g.undatedWidth : Math.max(g.minBarWidth, (daysBetween(from, to) + 1) * g.dayWidth);
      // The text plus its symbols (status, warning) and some air.
      const textWidth = labelOf(milestone).length * g.charWidth + 46;
      const labelOutside = textWidth > width;
      const extentEnd = x + (labelOutside ? width + textWidth : width) + 8;
      let row = rowsEnd.findIndex((rowEnd) => rowEnd <= x);
      if (row === -1) row = rowsEnd.push(0) - 1;
      rowsEnd[row] = extentEnd;
      widest = Math.max(widest, extentEnd);
      return { milestone, from, to, x, width, labelOutside, undated, y: row * g.rowHeight };
    });
    const nameLines = wrap(theme.name);
    const height = Math.max(Math.max(1, rowsEnd.length) * g.rowHeight, nameLines.length * 18 + 12) + 2 * g.lanePadding;
    const lane: LaneLayout = {
      id: theme.id,
      name: theme.name,
      colour: theme.colour,
      unknown: theme.unknown,
      y,
      height,
      nameLines,
      bars,
    };
    for (const bar of bars) bar.y += y + g.lanePadding + (g.rowHeight - g.barHeight) / 2;
    y += height;
    return lane;
  });

  const width = Math.max(xOf(end), widest) + 16;
  return { start, end, width, height: y + 8, quarters, todayX: xOf(today), lanes, xOf };
}
