import { describe, expect, it } from 'vitest';
import { LogPosition, snapshotBytesPerEntry } from './log-position.ts';

describe('a log position', () => {
  it('advances entry by entry without a gap', () => {
    const position = new LogPosition(3);
    expect(position.applied(4, 4)).toBe(false);
    expect(position.applied(5, 7)).toBe(false);
    expect(position.lastSeq).toBe(7);
    expect(position.hasGap).toBe(false);
  });

  it('keeps an entry beyond a gap ahead until the gap closes', () => {
    const position = new LogPosition(1);
    expect(position.applied(3, 3)).toBe(true);
    expect(position.lastSeq).toBe(1);
    expect(position.has(3)).toBe(true);
    expect(position.has(2)).toBe(false);
    expect(position.applied(2, 2)).toBe(false);
    expect(position.lastSeq).toBe(3);
  });

  it('closes several gaps in any order', () => {
    const position = new LogPosition();
    position.applied(5, 5);
    position.applied(3, 3);
    position.applied(1, 1);
    expect(position.lastSeq).toBe(1);
    position.applied(4, 4);
    expect(position.hasGap).toBe(true);
    position.applied(2, 2);
    expect(position.lastSeq).toBe(5);
    expect(position.hasGap).toBe(false);
  });

  it('treats an entry applied twice (a duplicate announcement) as harmless', () => {
    const position = new LogPosition(2);
    position.applied(4, 4);
    position.applied(4, 4);
    position.applied(1, 2);
    expect(position.lastSeq).toBe(2);
    position.applied(3, 3);
    expect(position.lastSeq).toBe(4);
  });

  it('forgets entries ahead that a range covering the gap already applied', () => {
    const position = new LogPosition();
    position.applied(3, 3);
    position.applied(6, 6);
    // A snapshot covering 1..4 (a repair after a compaction elsewhere).
    expect(position.applied(1, 4)).toBe(true);
    expect(position.lastSeq).toBe(4);
    expect(position.applied(5, 5)).toBe(false);
    expect(position.lastSeq).toBe(6);
  });

  it('records a batch of entries with holes as runs, keeping those beyond a hole ahead', () => {
    const position = new LogPosition(2);
    // 4 is another instance's entry, announced later.
    expect(position.appliedEach([3, 5, 6])).toBe(true);
    expect(position.lastSeq).toBe(3);
    expect(position.has(5)).toBe(true);
    expect(position.has(6)).toBe(true);
    expect(position.has(4)).toBe(false);
    expect(position.appliedEach([4])).toBe(false);
    expect(position.lastSeq).toBe(6);
  });

  it('records a batch of consecutive entries at once, and an empty one as nothing', () => {
    const position = new LogPosition(7);
    expect(position.appliedEach([])).toBe(false);
    expect(position.lastSeq).toBe(7);
    expect(position.appliedEach([8, 9, 10, 11])).toBe(false);
    expect(position.lastSeq).toBe(11);
  });

  it('says whether entries continue the log', () => {
    const position = new LogPosition(4);
    expect(position.continues(5)).toBe(true);
    expect(position.continues(3)).toBe(true);
    expect(position.continues(6)).toBe(false);
  });

  it('counts the log since the last compaction', () => {
    const position = new LogPosition(10, 2);
    position.grew(3);
    expect(position.length).toBe(5);
    position.applied(11, 13);
    // Compacted from this copy at 12; entry 13 stays in the log.
    position.compacted(12);
    expect(position.length).toBe(1);
    position.compacted(undefined);
    expect(position.length).toBe(0);
  });

  it('is due for compaction after compactAfter entries when the snapshot is small', () => {
    const position = new LogPosition(0, 0, 20_000);
    position.grew(49);
    expect(position.compactionDue(50)).toBe(false);
    position.grew(1);
    expect(position.compactionDue(50)).toBe(true);
  });

  it('lets the log of a big snapshot grow to one entry per KiB of it before compacting', () => {
    const bytes = 5_000_000;
    const entries = Math.ceil(bytes / snapshotBytesPerEntry);
    const position = new LogPosition(0, 0, bytes);
    position.grew(entries - 1);
    expect(position.compactionDue(500)).toBe(false);
    position.grew(1);
    expect(position.compactionDue(500)).toBe(true);
  });

  it('learns the snapshot size from a compaction taken here, and keeps it after one folded as stored', () => {
    const position = new LogPosition(10, 600, 5_000_000);
    position.applied(11, 12);
    position.compacted(12, 100_000);
    expect(position.snapshotBytes).toBe(100_000);
    position.grew(500);
    expect(position.compactionDue(500)).toBe(true);
    position.compacted(undefined);
    expect(position.snapshotBytes).toBe(100_000);
    expect(position.length).toBe(0);
  });
});
