/** One reader's place: the chunk it reads now. */
export interface ReaderPosition {
  position: number;
}

/**
 * The readers of one media and their read windows: a reader at chunk `p` will read `p` and the
 * `prefetch` chunks after it. Windows decide what is prefetched, what a seek drops, and what the
 * evictor must keep. Pure.
 */
export class ReaderWindows {
  private readonly readers = new Set<ReaderPosition>();

  constructor(readonly prefetch: number) {}

  add(index: number): ReaderPosition {
    const reader = { position: index };
    this.readers.add(reader);
    return reader;
  }

  /** False when `reader` was already gone. */
  remove(reader: ReaderPosition): boolean {
    return this.readers.delete(reader);
  }

  get count(): number {
    return this.readers.size;
  }

  positions(): number[] {
    return [...this.readers].map((r) => r.position);
  }

  /** Inclusive `[from, to]` chunk ranges, one per reader. */
  windows(): [number, number][] {
    return [...this.readers].map((r) => [r.position, r.position + this.prefetch]);
  }

  /** Whether chunk `index` is in some reader's window. */
  contains(index: number): boolean {
    for (const r of this.readers) {
      if (index >= r.position && index <= r.position + this.prefetch) return true;
    }
    return false;
  }
}
