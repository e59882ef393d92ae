import * as Y from 'yjs';
import { clip, type FieldLimit, fieldLimits } from './limits.ts';
import { readText } from './text.ts';

/**
 * Reading values that come from other clients. Anything may arrive (an older or newer version of
 * Nordraum, a buggy or hostile client), so readers never throw: a value that does not fit is
 * reported as an issue and shown as invalid, and keys this version does not know stay untouched.
 */

/** A field that could not be read as expected. */
export interface FieldIssue {
  field: string;
  problem: 'missing' | 'invalid';
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Orders ISO dates, timestamps and ids as text, code unit by code unit, which is their order.
 * `localeCompare` asks ICU's collation instead: slower per call, and in a browser the first call
 * loads ICU's data, some 20 ms before a roadmap's first paint. Names keep `localeCompare`.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Whether a string is a real calendar date in YYYY-MM-DD form (Gregorian, as `Date` counts).
 * Checked with arithmetic, not by a round trip through `Date`: every reader of a list checks every
 * date, and for a list of 1,000 actions that round trip was a quarter of reading it.
 */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !isoDate.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A reader over one Y.Map that collects issues instead of throwing. */
export function fieldReader(map: Y.Map<unknown>) {
  const issues: FieldIssue[] = [];
  return {
    issues,
    /** A string or collaborative text, cut to its limit (a longer one came from another client). */
    string(field: string, limit: FieldLimit, fallback = ''): string {
      const value = readText(map, field);
      if (value !== null) return clip(value, fieldLimits[limit]);
      issues.push({ field, problem: map.get(field) === undefined ? 'missing' : 'invalid' });
      return fallback;
    },
    optionalString(field: string, limit: FieldLimit): string | null {
      const value = map.get(field);
      if (value === undefined || value === null) return null;
      if (typeof value === 'string') return clip(value, fieldLimits[limit]);
      issues.push({ field, problem: 'invalid' });
      return null;
    },
    number(field: string, fallback = 0): number {
      const value = map.get(field);
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      issues.push({ field, problem: value === undefined ? 'missing' : 'invalid' });
      return fallback;
    },
    date(field: string): string | null {
      const value = map.get(field);
      if (value === undefined || value === null || value === '') return null;
      if (isIsoDate(value)) return value;
      issues.push({ field, problem: 'invalid' });
      return null;
    },
    oneOf<T extends string>(field: string, allowed: readonly T[], fallback: T): T {
      const value = map.get(field);
      if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
      issues.push({ field, problem: value === undefined ? 'missing' : 'invalid' });
      return fallback;
    },
    stringList(field: string, limit: FieldLimit, count: number): string[] {
      const value = map.get(field);
      if (value === undefined) return [];
      const list = value instanceof Y.Array ? value.toArray() : Array.isArray(value) ? value : null;
      if (list?.every((entry) => typeof entry === 'string'))
        return (list as string[]).slice(0, count).map((entry) => clip(entry, fieldLimits[limit]));
      issues.push({ field, problem: 'invalid' });
      return [];
    },
  };
}

/** A new random id for an item; unique enough across clients. */
export function newId(): string {
  return crypto.randomUUID();
}

/** The entries of a Y.Map of Y.Maps, skipping values that are not maps (never throws). */
export function mapEntries(parent: Y.Map<unknown>): [string, Y.Map<unknown>][] {
  const entries: [string, Y.Map<unknown>][] = [];
  for (const [id, value] of parent.entries()) if (value instanceof Y.Map) entries.push([id, value as Y.Map<unknown>]);
  return entries;
}
