/**
 * Where a loaded document stands in its update log.
 *
 * Invariants:
 * - `lastSeq` is the highest log position up to which every entry has been applied here.
 * - Entries applied beyond a gap (our own commits, which may overtake another instance's
 *   announcement) are remembered as ahead until the gap closes; none of them is <= `lastSeq`.
 * - `length` counts the entries in the log since the last compaction (an estimate: entries of
 *   other instances count when announced), which with `snapshotBytes` decides when to compact.
 */

/**
 * Snapshot bytes per log entry the log may hold before a compaction is due. A compaction encodes
 * and writes the whole snapshot: for a big document, every `compactAfter` entries would cost
 * kilobytes of encoding and writing per edit (a 5 MB protocol: 10 KB per edit at 500). With one
 * entry allowed per KiB of snapshot a compaction costs at most about a KiB per entry, and the
 * log still loads in a fraction of the snapshot's time (small updates apply in microseconds).
 */
export const snapshotBytesPerEntry = 1024;
export class LogPosition {
  #lastSeq: number;
  readonly #ahead = new Set<number>();
  #length: number;
  #snapshotBytes: number;

  constructor(lastSeq = 0, length = 0, snapshotBytes = 0) {
    this.#lastSeq = lastSeq;
    this.#length = length;
    this.#snapshotBytes = snapshotBytes;
  }

  /** The highest position up to which every entry is applied. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Entries since the last compaction. */
  get length(): number {
    return this.#length;
  }

  /** Bytes of the snapshot the log follows, as last known here (0: none, or not known). */
  get snapshotBytes(): number {
    return this.#snapshotBytes;
  }

  /**
   * Whether the log is long enough to compact: `compactAfter` entries, or for a big snapshot one
   * entry per `snapshotBytesPerEntry` bytes of it, whichever is more.
   */
  compactionDue(compactAfter: number): boolean {
    return this.#length >= Math.max(compactAfter, Math.ceil(this.#snapshotBytes / snapshotBytesPerEntry));
  }

  /** Whether an entry beyond `lastSeq` is applied while one before it is not. */
  get hasGap(): boolean {
    return this.#ahead.size > 0;
  }

  /** Whether entry `seq` is applied here already. */
  has(seq: number): boolean {
    return seq <= this.#lastSeq || this.#ahead.has(seq);
  }

  /** Whether entries starting at `first` continue the log without a gap. */
  continues(first: number): boolean {
    return first <= this.#lastSeq + 1;
  }

  /** Records that entries first..last are applied; returns whether a gap remains. */
  applied(first: number, last: number): boolean {
    if (this.continues(first)) {
      this.#lastSeq = Math.max(this.#lastSeq, last);
      while (this.#ahead.delete(this.#lastSeq + 1)) this.#lastSeq += 1;
    } else {
      for (let seq = first; seq <= last; seq += 1) this.#ahead.add(seq);
    }
    for (const seq of this.#ahead) if (seq <= this.#lastSeq) this.#ahead.delete(seq);
    return this.hasGap;
  }

  /** Records that the entries at `seqs` (ascending) are applied, a run of consecutive ones at a time. */
  appliedEach(seqs: readonly number[]): boolean {
    let first = 0;
    for (let index = 1; index <= seqs.length; index += 1) {
      if (index < seqs.length && seqs[index] === seqs[index - 1]! + 1) continue;
      this.applied(seqs[first]!, seqs[index - 1]!);
      first = index;
    }
    return this.hasGap;
  }

  /** Counts entries added to the log (here or by another instance). */
  grew(count: number) {
    this.#length += count;
  }

  /**
   * Records a compaction: `upTo` is the position the snapshot covers when it was taken from this
   * copy (what came after stays in the log), with the snapshot's size; both undefined when the
   * log was folded as stored (the size is then kept as it was known).
   */
  compacted(upTo: number | undefined, bytes?: number) {
    this.#length = upTo === undefined ? 0 : this.#lastSeq - upTo;
    if (bytes !== undefined) this.#snapshotBytes = bytes;
  }
}
