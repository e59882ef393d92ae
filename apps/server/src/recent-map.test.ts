import { describe, expect, it } from 'vitest';
import { RecentMap } from './recent-map.ts';

describe('a recent map', () => {
  it('forgets the entry used longest ago, a read counting as a use', () => {
    const rows = new RecentMap<string, number>(3);
    rows.set('a', 1).set('b', 2).set('c', 3);
    expect(rows.get('a')).toBe(1);
    rows.set('d', 4);
    expect(['a', 'b', 'c', 'd'].filter((key) => rows.has(key))).toEqual(['a', 'c', 'd']);
    expect(rows.size).toBe(3);
  });

  it('keeps an entry read over and over while others come and go', () => {
    const rows = new RecentMap<number, string>(2);
    rows.set(0, 'Protokoll');
    for (let key = 1; key <= 100; key += 1) {
      expect(rows.get(0)).toBe('Protokoll');
      rows.set(key, `Dokument ${key}`);
    }
    expect(rows.has(0)).toBe(true);
    expect(rows.has(99)).toBe(false);
  });

  it('counts writing a kept key again as a use, not as another entry', () => {
    const rows = new RecentMap<string, number>(2);
    rows.set('a', 1).set('b', 2).set('a', 3).set('c', 4);
    expect(rows.get('a')).toBe(3);
    expect(rows.has('b')).toBe(false);
    expect(rows.size).toBe(2);
  });
});
