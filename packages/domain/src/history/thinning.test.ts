import { describe, expect, it } from 'vitest';
import { versionsToThin } from './thinning.ts';

const now = new Date('2026-12-06T12:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

describe('thinning automatic versions', () => {
  it('keeps every version of the last day', () => {
    const versions = [1, 2, 3, 600, 1_400].map((minutes) => ({ id: `v${minutes}`, createdAt: ago(minutes) }));
    expect(versionsToThin(versions, now)).toEqual([]);
  });

  it('keeps the newest of each hour for a week, and of each day after', () => {
    const hourAgo = (hours: number, minutes = 0) => ago(hours * 60 + minutes);
    const versions = [
      { id: 'two-days-a', createdAt: hourAgo(48, -20) },
      { id: 'two-days-b', createdAt: hourAgo(48, -10) },
      { id: 'two-days-next-hour', createdAt: hourAgo(49, -10) },
      { id: 'ten-days-a', createdAt: hourAgo(240) },
      { id: 'ten-days-b', createdAt: hourAgo(241) },
      { id: 'ten-days-c', createdAt: hourAgo(242) },
    ];
    expect(versionsToThin(versions, now).sort()).toEqual(['ten-days-b', 'ten-days-c', 'two-days-b']);
  });
});
