import { describe, expect, it } from 'vitest';
import { isIsoDate } from './fields.ts';

/** What a real calendar date is, asked of `Date`: the reading must give back the same day. */
function isRealDay(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

describe('isIsoDate', () => {
  it('accepts exactly the days Date knows, month ends and leap days included', () => {
    const years = [0, 1600, 1900, 1999, 2000, 2024, 2026, 2027, 2028, 2100, 2400, 9999];
    let checked = 0;
    for (const year of years)
      for (let month = 0; month <= 13; month += 1)
        for (let day = 0; day <= 32; day += 1) {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          expect(isIsoDate(text), text).toBe(isRealDay(text));
          checked += 1;
        }
    expect(checked).toBe(years.length * 14 * 33);
  });

  it('names the cases that matter for a deadline', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2100-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2027-04-31')).toBe(false);
    expect(isIsoDate('2027-12-31')).toBe(true);
  });

  it('refuses anything that is not YYYY-MM-DD text', () => {
    for (const value of [
      '2027-1-05',
      '27-01-05',
      ' 2027-01-05',
      '2027-01-05 ',
      '2027-01-05T00:00',
      '2027/01/05',
      '',
      null,
      20270105,
      new Date(),
    ])
      expect(isIsoDate(value), String(value)).toBe(false);
  });
});
