import { describe, expect, it } from 'vitest';
import { AccessCache } from './access-cache.ts';

/** A lookup that counts its calls and answers when told. */
function controlledLookup() {
  const pending: ((answer: string) => void)[] = [];
  return {
    calls: () => pending.length,
    lookup: () => new Promise<string>((resolve) => pending.push(resolve)),
    answer: (index: number, value: string) => pending[index]!(value),
  };
}

describe('the access cache', () => {
  it('asks once for a burst of askers of one key', async () => {
    let now = 0;
    const cache = new AccessCache<string>(1_000, () => now);
    const lookup = controlledLookup();
    const answers = Array.from({ length: 200 }, () => cache.get('s1 d1', lookup.lookup));
    expect(lookup.calls()).toBe(1);
    lookup.answer(0, 'editor');
    expect(await Promise.all(answers)).toEqual(Array(200).fill('editor'));
    now = 999;
    await cache.get('s1 d1', lookup.lookup);
    expect(lookup.calls()).toBe(1);
  });

  it('asks again once an answer is older than its time to live', async () => {
    let now = 0;
    const cache = new AccessCache<string>(1_000, () => now);
    const lookup = controlledLookup();
    const first = cache.get('k', lookup.lookup);
    lookup.answer(0, 'editor');
    await first;
    now = 1_001;
    void cache.get('k', lookup.lookup);
    expect(lookup.calls()).toBe(2);
  });

  it('never hands an answer asked for before an access event to someone asking after it', async () => {
    const cache = new AccessCache<string>(60_000);
    const lookup = controlledLookup();
    const before = cache.get('k', lookup.lookup);
    cache.clear();
    const after = cache.get('k', lookup.lookup);
    expect(lookup.calls()).toBe(2);
    lookup.answer(0, 'editor');
    lookup.answer(1, 'removed');
    expect(await before).toBe('editor');
    expect(await after).toBe('removed');
    expect(await cache.get('k', lookup.lookup)).toBe('removed');
  });

  it('does not keep a failed lookup', async () => {
    const cache = new AccessCache<string>(60_000);
    await expect(cache.get('k', () => Promise.reject(new Error('database away')))).rejects.toThrow('database away');
    expect(await cache.get('k', async () => 'editor')).toBe('editor');
  });
});
