import { describe, expect, it } from 'vitest';
import { formatCalendarDay, formatLongDateTime } from './calendar.ts';

// What Chromium's Intl.DateTimeFormat wrote for de-DE and en-GB (dateStyle, and for the date and
// time dateStyle 'long' with timeStyle 'short'), which the UI showed before.
const chromium = {
  'de medium': [
    '15.01.2027',
    '05.02.2027',
    '15.03.2027',
    '15.04.2027',
    '15.05.2027',
    '15.06.2027',
    '15.07.2027',
    '15.08.2027',
    '15.09.2027',
    '15.10.2027',
    '15.11.2027',
    '15.12.2027',
  ],
  'de long': [
    '15. Januar 2027',
    '5. Februar 2027',
    '15. März 2027',
    '15. April 2027',
    '15. Mai 2027',
    '15. Juni 2027',
    '15. Juli 2027',
    '15. August 2027',
    '15. September 2027',
    '15. Oktober 2027',
    '15. November 2027',
    '15. Dezember 2027',
  ],
  'en medium': [
    '15 Jan 2027',
    '5 Feb 2027',
    '15 Mar 2027',
    '15 Apr 2027',
    '15 May 2027',
    '15 Jun 2027',
    '15 Jul 2027',
    '15 Aug 2027',
    '15 Sept 2027',
    '15 Oct 2027',
    '15 Nov 2027',
    '15 Dec 2027',
  ],
  'en long': [
    '15 January 2027',
    '5 February 2027',
    '15 March 2027',
    '15 April 2027',
    '15 May 2027',
    '15 June 2027',
    '15 July 2027',
    '15 August 2027',
    '15 September 2027',
    '15 October 2027',
    '15 November 2027',
    '15 December 2027',
  ],
} as const;

describe('calendar days without Intl', () => {
  for (const [key, expected] of Object.entries(chromium)) {
    const [locale, style] = key.split(' ') as ['de' | 'en', 'medium' | 'long'];
    it(`writes every month as Intl does (${key})`, () => {
      const written = expected.map((_, index) =>
        formatCalendarDay(locale, 2027, index + 1, index === 1 ? 5 : 15, style),
      );
      expect(written).toEqual([...expected]);
    });
  }

  it('writes a date and time as Intl does, in local time', () => {
    expect(formatLongDateTime('de', new Date(2026, 10, 23, 7, 5))).toBe('23. November 2026 um 07:05');
    expect(formatLongDateTime('de', new Date(2026, 0, 3, 17, 45))).toBe('3. Januar 2026 um 17:45');
    expect(formatLongDateTime('en', new Date(2026, 10, 23, 7, 5))).toBe('23 November 2026 at 07:05');
    expect(formatLongDateTime('en', new Date(2026, 0, 3, 17, 45))).toBe('3 January 2026 at 17:45');
  });

  it('writes nothing for a moment that is not one', () => {
    expect(formatLongDateTime('de', new Date('kein Datum'))).toBe('');
  });
});
