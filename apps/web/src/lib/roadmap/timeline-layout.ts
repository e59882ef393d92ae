import { compareCodeUnits, type Milestone, type Theme } from '@nordraum/domain';
import { addDays, daysBetween, fromDayMs, nextQuarter, quarterOf, quarterStart, toDayMs } from './days.ts';

/**
 * Geometry of the timeline, in CSS pixels. The SVG is drawn at this size and never scaled to fit
 * (a wide roadmap scrolls sideways): scaled down, its text shrank to 3 px on a phone. Text is as
 * large as KERN's body text (18 px), so zooming the page enlarges it like any other text.
 */
export const geometry = {
  labelWidth: 240,
  /** Two pixels a day: about 61 pixels a month, wide enough to drag a bar by days. */
  dayWidth: 2,
  axisHeight: 52,
  rowHeight: 44,
  barHeight: 32,
  lanePadding: 8,
  undatedWidth: 120,
  minBarWidth: 12,
  /** KERN's body text size; every label of the timeline has it. */
  fontSize: 18,
  nameLineHeight: 22,
  /** Rough width of one character of the bar text, to keep labels from overlapping. */
  charWidth: 10,
  /** Room for a bar's comment button (speech bubble and count), after the bar or its text. */
  commentWidth: 64,
  /** Characters a cut-off end adds to a label ("Ende: 31.12.2099"), and a bar outside the window. */
  cutChars: 18,
  edgeChars: 36,
} as const;

/**
 * How far from the middle of the dates a date still belongs to the window: five times their median
 * distance from the middle, and never less than two years. A median is not pulled away by a few
 * wild dates, so 2099 typed for 2029 is shown at the window's edge instead of stretching the
 * timeline over seventy years, while a roadmap spread evenly over six years is shown whole.
 */
const REACH_FACTOR = 5;
const MIN_REACH_DAYS = 730;

/** Which part of a milestone lies outside the window: all of it (`edge`), or one end (`cut*`). */
export type BarEdge = 'before' | 'after' | null;

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
  /** Where the bar's comment button starts: after the bar, or after its text when that is drawn after it. */
  commentX: number;
  undated: boolean;
  /** The whole milestone lies before or after the window; its bar waits at that edge. */
  edge: BarEdge;
  /** It starts before the window (drawn from the window's start) or ends after it. */
  cutStart: boolean;
  cutEnd: boolean;
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
  /** x of today's line, or null when today lies outside the window. */
  todayX: number | null;
  /** x where the window ends: bars of later milestones are drawn right of it. */
  windowEndX: number;
  /** Whether some milestone lies (partly) outside the window. */
  clipped: boolean;
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
function wrap(text: string, width = 22): string[] {
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

/** The middle value of sorted `values` (the mean of the two middle ones for an even count). */
function median(sorted: readonly number[]): number {
  const middle = (sorted.length - 1) / 2;
  return (sorted[Math.floor(middle)]! + sorted[Math.ceil(middle)]!) / 2;
}

/**
 * The dates worth showing: today and the bulk of the milestones' dates, leaving out dates far from
 * the rest (see `REACH_FACTOR`). Returns the first and the last date inside.
 */
export function timelineWindow(dates: readonly string[], today: string): { from: string; to: string } {
  const days = [today, ...dates].map(toDayMs).sort((a, b) => a - b);
  const middle = median(days);
  const spread = median(days.map((day) => Math.abs(day - middle)).sort((a, b) => a - b));
  const reach = Math.max(REACH_FACTOR * spread, MIN_REACH_DAYS * 86_400_000);
  const inside = days.filter((day) => Math.abs(day - middle) <= reach);
  return { from: fromDayMs(inside[0]!), to: fromDayMs(inside[inside.length - 1]!) };
}

/** Where a dated milestone's bar goes within the window [start, end). */
function place(from: string, to: string, start: string, end: string, xOf: (iso: string) => number) {
  const g = geometry;
  if (to < start)
    return { x: g.labelWidth + 4, width: g.undatedWidth, edge: 'before' as const, cutStart: false, cutEnd: false };
  if (from >= end)
    return { x: xOf(end) + 8, width: g.undatedWidth, edge: 'after' as const, cutStart: false, cutEnd: false };
  const cutStart = from < start;
  const cutEnd = to >= end;
  const first = cutStart ? start : from;
  const last = cutEnd ? addDays(end, -1) : to;
  const width = Math.max(g.minBarWidth, (daysBetween(first, last) + 1) * g.dayWidth);
  return { x: xOf(first), width, edge: null, cutStart, cutEnd };
}

/**
 * Lays out lanes and bars: the window runs from the quarter of its first date (see
 * `timelineWindow`) to one quarter past its last, at least four quarters; milestones outside it
 * wait at its edges. Bars of a lane are stacked into rows so that neither bars nor their labels
 * overlap. `labelOf` gives the text drawn for each bar.
 */
export function layoutTimeline(
  themes: readonly Theme[],
  milestones: readonly Milestone[],
  today: string,
  labelOf: (milestone: Milestone) => string,
  unknownThemeName: string,
): TimelineLayout {
  const g = geometry;
  const dates: string[] = [];
  for (const milestone of milestones) {
    if (milestone.start) dates.push(milestone.start);
    if (milestone.end) dates.push(milestone.end);
  }
  const shown = timelineWindow(dates, today);
  const start = quarterStart(shown.from);
  const last = nextQuarter(shown.to);
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
  let clipped = false;
  const lanes: LaneLayout[] = laneSources.map((theme) => {
    const rowsEnd: number[] = [];
    const entries = (byTheme.get(theme.id) ?? [])
      .map((milestone) => ({ milestone, ...span(milestone) }))
      .sort(
        (a, b) => compareCodeUnits(a.from ?? '', b.from ?? '') || a.milestone.title.localeCompare(b.milestone.title),
      );
    const bars: BarLayout[] = entries.map(({ milestone, from, to }) => {
      const undated = from === null || to === null;
      const placed = undated
        ? { x: g.labelWidth + 4, width: g.undatedWidth, edge: null, cutStart: false, cutEnd: false }
        : place(from, to, start, end, xOf);
      const { x, width } = placed;
      if (placed.edge || placed.cutStart || placed.cutEnd) clipped = true;
      const marks = placed.edge ? g.edgeChars : (placed.cutStart ? g.cutChars : 0) + (placed.cutEnd ? g.cutChars : 0);
      // The text plus its symbols (status, warning) and some air.
      const textWidth = (labelOf(milestone).length + marks) * g.charWidth + 46;
      const labelOutside = textWidth > width;
      const commentX = x + (labelOutside ? width + textWidth : width + 6);
      const extentEnd = commentX + g.commentWidth + 8;
      let row = rowsEnd.findIndex((rowEnd) => rowEnd <= x);
      if (row === -1) row = rowsEnd.push(0) - 1;
      rowsEnd[row] = extentEnd;
      widest = Math.max(widest, extentEnd);
      return { milestone, from, to, labelOutside, commentX, undated, ...placed, y: row * g.rowHeight };
    });
    const nameLines = wrap(theme.name);
    const height =
      Math.max(Math.max(1, rowsEnd.length) * g.rowHeight, nameLines.length * g.nameLineHeight + 12) + 2 * g.lanePadding;
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
  const todayX = today >= start && today < end ? xOf(today) : null;
  return { start, end, width, height: y + 8, quarters, todayX, windowEndX: xOf(end), clipped, lanes, xOf };
}
