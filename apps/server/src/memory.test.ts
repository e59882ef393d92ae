import { afterEach, describe, expect, it, vi } from 'vitest';
import { idleReleaseMs, memoryReleaser } from './memory.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('giving memory back', () => {
  it('collects only after a quiet spell, and not when a document was loaded again', () => {
    vi.useFakeTimers();
    let idle = true;
    const asked = vi.fn(() => idle);
    const memory = memoryReleaser(asked);
    memory.idle();
    vi.advanceTimersByTime(idleReleaseMs - 1);
    expect(asked).not.toHaveBeenCalled();
    // The last document unloaded again: the quiet spell starts over.
    memory.idle();
    vi.advanceTimersByTime(idleReleaseMs - 1);
    expect(asked).not.toHaveBeenCalled();
    idle = false;
    vi.advanceTimersByTime(1);
    expect(asked).toHaveBeenCalledTimes(1);
  });

  it('shrinks the heap when idle', () => {
    vi.useFakeTimers();
    const garbage = Array.from({ length: 200_000 }, (_, i) => ({ i, text: `item ${i}` }));
    garbage.length = 0;
    const before = process.memoryUsage().heapTotal;
    memoryReleaser(() => true).idle();
    vi.advanceTimersByTime(idleReleaseMs);
    expect(process.memoryUsage().heapTotal).toBeLessThan(before);
  });
});
