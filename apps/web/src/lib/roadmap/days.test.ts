import { describe, expect, it } from 'vitest';
import { isFarFromToday } from './days.ts';

const today = '2026-12-06';

describe('dates far from today', () => {
  it('are those more than five years before or after today', () => {
    expect(isFarFromToday('2099-12-31', today)).toBe(true);
    expect(isFarFromToday('1926-12-31', today)).toBe(true);
    expect(isFarFromToday('2031-12-06', today)).toBe(false);
    expect(isFarFromToday('2031-12-07', today)).toBe(true);
    expect(isFarFromToday('2021-12-06', today)).toBe(false);
    expect(isFarFromToday('2027-03-15', today)).toBe(false);
  });

  it('never flags what is not a date', () => {
    expect(isFarFromToday('', today)).toBe(false);
    expect(isFarFromToday('2099-02-30', today)).toBe(false);
  });
});
