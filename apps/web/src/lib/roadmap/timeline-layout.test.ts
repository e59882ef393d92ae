import type { Milestone, Theme } from '@nordraum/domain';
import { describe, expect, it } from 'vitest';
import { geometry, layoutTimeline, timelineWindow } from './timeline-layout.ts';

const today = '2026-12-06';
const theme: Theme = { id: 'theme-ki', name: 'Künstliche Intelligenz', colour: '#2044aa', order: 0, issues: [] };

function milestone(id: string, start: string | null, end: string | null): Milestone {
  return {
    id,
    themeId: theme.id,
    title: id,
    start,
    end,
    status: 'planned',
    lead: 'SH',
    owners: [],
    description: '',
    issues: [],
  } as unknown as Milestone;
}

const layout = (milestones: Milestone[]) => layoutTimeline([theme], milestones, today, (m) => m.title, 'unbekannt');
const barOf = (result: ReturnType<typeof layout>, id: string) =>
  result.lanes.flatMap((lane) => lane.bars).find((bar) => bar.milestone.id === id)!;

describe('the timeline window', () => {
  it('covers today and every date of an ordinary roadmap', () => {
    expect(timelineWindow(['2027-01-04', '2027-03-26', '2027-05-03', '2028-06-30'], today)).toEqual({
      from: today,
      to: '2028-06-30',
    });
  });

  it('leaves out a date decades away from the rest', () => {
    const dates = ['2027-01-04', '2027-03-26', '2027-02-01', '2027-06-30', '2027-05-03', '2099-12-31'];
    expect(timelineWindow(dates, today)).toEqual({ from: today, to: '2027-06-30' });
  });

  it('leaves out a date decades back, and today when every milestone is far from it', () => {
    expect(timelineWindow(['1927-01-01', '2027-01-04', '2027-06-30', '2027-09-30'], today).from).toBe(today);
    expect(timelineWindow(['2099-01-01', '2099-06-30', '2099-12-31'], today)).toEqual({
      from: '2099-01-01',
      to: '2099-12-31',
    });
  });
});

describe('a roadmap with a milestone ending in 2099', () => {
  const result = layout([
    milestone('pilot', '2027-01-04', '2027-03-26'),
    milestone('rollout', '2027-02-01', '2027-06-30'),
    milestone('typo', '2027-04-01', '2099-12-31'),
    milestone('later', '2099-01-01', '2099-12-31'),
    milestone('earlier', '1999-01-01', '1999-12-31'),
  ]);

  it('keeps a width of a few quarters at two pixels a day instead of seventy years', () => {
    expect(result.start).toBe('2026-10-01');
    expect(result.end).toBe('2027-10-01');
    expect(result.width).toBeLessThan(2500);
    expect(result.todayX).toBe(result.xOf(today));
    expect(result.clipped).toBe(true);
  });

  it('cuts a bar at the edge of the window and says which end is cut', () => {
    const typo = barOf(result, 'typo');
    expect(typo).toMatchObject({ edge: null, cutStart: false, cutEnd: true });
    expect(typo.x + typo.width).toBe(result.windowEndX);
  });

  it('puts milestones wholly outside the window at its edges', () => {
    expect(barOf(result, 'later')).toMatchObject({ edge: 'after', x: result.windowEndX + 8 });
    expect(barOf(result, 'earlier')).toMatchObject({ edge: 'before', x: geometry.labelWidth + 4 });
    expect(barOf(result, 'pilot')).toMatchObject({ edge: null, cutStart: false, cutEnd: false });
  });
});

describe('a roadmap spread evenly over six years', () => {
  it('is shown whole', () => {
    const dates = ['2027-03-01', '2028-03-01', '2029-03-01', '2030-03-01', '2031-03-01', '2032-12-31'];
    expect(timelineWindow(dates, today)).toEqual({ from: today, to: '2032-12-31' });
  });
});

describe("a bar's comment button", () => {
  it('sits after the bar, or after the text drawn after a short bar', () => {
    const short = milestone('Lange Bezeichnung eines kurzen Meilensteins', '2027-01-04', '2027-01-08');
    const wide = milestone('Kurz', '2027-02-01', '2027-12-20');
    const result = layout([short, wide]);
    const a = barOf(result, short.id);
    const b = barOf(result, wide.id);
    expect(a.labelOutside).toBe(true);
    expect(a.commentX).toBeGreaterThanOrEqual(a.x + a.width + a.milestone.title.length * geometry.charWidth);
    expect(b.labelOutside).toBe(false);
    expect(b.commentX).toBeGreaterThan(b.x + b.width);
    expect(result.width).toBeGreaterThanOrEqual(b.commentX + geometry.commentWidth);
  });

  it('has room of its own: a bar sharing a row starts after the button before it', () => {
    // One-week milestones 50 days apart: without the button's room every one would share a row.
    const milestones = Array.from({ length: 8 }, (_, i) => {
      const start = new Date(Date.UTC(2027, 0, 4 + i * 50));
      const end = new Date(start.getTime() + 6 * 86_400_000);
      return milestone(`M${i}`, start.toISOString().slice(0, 10), end.toISOString().slice(0, 10));
    });
    const bars = layout(milestones).lanes[0]!.bars;
    const rows = Map.groupBy(bars, (bar) => bar.y);
    expect([...rows.values()].some((row) => row.length > 1)).toBe(true);
    for (const row of rows.values()) {
      const sorted = [...row].sort((p, q) => p.x - q.x);
      for (let i = 1; i < sorted.length; i += 1) {
        expect(sorted[i]!.x).toBeGreaterThanOrEqual(sorted[i - 1]!.commentX + geometry.commentWidth);
      }
    }
  });
});
