import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Throttle } from './throttle.ts';

describe('Throttle', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['performance'] }));
  afterEach(() => vi.useRealTimers());

  it('lets a burst through (the last frame may take it below zero), then waits for the rate', () => {
    const throttle = new Throttle({ perSecond: 10, burst: 3 });
    expect([throttle.take(), throttle.take(), throttle.take(), throttle.take()]).toEqual([true, true, true, true]);
    expect(throttle.take()).toBe(false);
    expect(throttle.waitMs()).toBe(100);
    vi.advanceTimersByTime(100);
    expect(throttle.take()).toBe(true);
    expect(throttle.take()).toBe(false);
  });

  it('lets a large frame take the bucket below zero and says how long until it is not empty', () => {
    const throttle = new Throttle({ perSecond: 10, burst: 2 });
    expect(throttle.take(5)).toBe(true);
    expect(throttle.waitMs()).toBe(300);
    expect(throttle.take()).toBe(false);
    vi.advanceTimersByTime(300);
    expect(throttle.waitMs()).toBe(0);
    expect(throttle.take()).toBe(true);
  });

  it('never holds more than the burst, however long it was idle', () => {
    const throttle = new Throttle({ perSecond: 10, burst: 2 });
    vi.advanceTimersByTime(60_000);
    expect([throttle.take(2), throttle.take(), throttle.take()]).toEqual([true, true, false]);
  });
});
