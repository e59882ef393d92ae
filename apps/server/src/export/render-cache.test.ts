import { describe, expect, it } from 'vitest';
import { createRenderCache } from './render-cache.ts';

const file = (size: number, fill = 1) => new Uint8Array(size).fill(fill);

describe('the cache of rendered files', () => {
  it('answers a file only for the state object it was rendered from', () => {
    const cache = createRenderCache(1000);
    const before = new Uint8Array([1]);
    cache.set({ key: 'notes:a:pdf', state: before }, file(10));
    expect(cache.get({ key: 'notes:a:pdf', state: before })).toEqual(file(10));
    // An edit gives the document a new state object, with the same bytes or not.
    expect(cache.get({ key: 'notes:a:pdf', state: new Uint8Array([1]) })).toBeUndefined();
    expect(cache.get({ key: 'notes:a:pdf', state: before })).toBeUndefined();
    expect(cache.size()).toBe(0);
  });

  it('answers a file whose key fixes its content without a state', () => {
    const cache = createRenderCache(1000);
    cache.set({ key: 'notes:a:version-1:pdf', state: null }, file(10));
    expect(cache.get({ key: 'notes:a:version-1:pdf', state: null })).toEqual(file(10));
    expect(cache.get({ key: 'notes:a:version-2:pdf', state: null })).toBeUndefined();
  });

  it('keeps at most its size, the least recently used file leaving first', () => {
    const cache = createRenderCache(1000);
    for (const name of ['a', 'b', 'c']) cache.set({ key: name, state: null }, file(240));
    cache.get({ key: 'a', state: null });
    cache.set({ key: 'd', state: null }, file(240));
    cache.set({ key: 'e', state: null }, file(240));
    expect(cache.size()).toBeLessThanOrEqual(1000);
    expect(cache.get({ key: 'a', state: null })).toBeDefined();
    expect(cache.get({ key: 'b', state: null })).toBeUndefined();
    expect(cache.get({ key: 'e', state: null })).toBeDefined();
  });

  it('keeps no file over a quarter of its size, and nothing at size 0', () => {
    expect(createRenderCache(1000).set({ key: 'big', state: null }, file(300))).toBeUndefined();
    const none = createRenderCache(0);
    none.set({ key: 'small', state: null }, file(1));
    expect(none.get({ key: 'small', state: null })).toBeUndefined();
  });
});
