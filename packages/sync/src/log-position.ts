/**
 * Where a loaded document stands in its update log.
 *
 * Invariants:
 * - `lastSeq` is the highest log position up to which every entry has been applied here.
 * - Entries applied beyond a gap (our own commits, which may overtake another instance's
 *   announcement) are remembered as ahead until the gap closes; none of them is <= `lastSeq`.
 * - `length` counts the entries in the log since the last compaction (an estimate: entries of
 *   other instances count when announced), which decides when to compact.
 */
export class LogPosition {
  #lastSeq: number;
  readonly #ahead = new Set<number>();
  #length: number;

  constructor(lastSeq = 0, length = 0) {
    this.#lastSeq = lastSeq;
    this.#length = length;
  }

  /** The highest position up to which every entry is applied. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Entries since the last compaction. */
  get length(): number {
    return this.#length;
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

  /** Counts entries added to the log (here or by another instance). */
  grew(count: number) {
    this.#length += count;
  }

  /**
   * Records a compaction: `upTo` is the position the snapshot covers when it was taken from this
   * copy (what came after stays in the log); undefined when the log was folded as stored.
   */
  compacted(upTo: number | undefined) {
    this.#length = upTo === undefined ? 0 : this.#lastSeq - upTo;
  }
}
