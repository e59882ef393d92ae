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
