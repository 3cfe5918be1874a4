/**
 * Bytes of chunks still downloading, so a reader can send them on before the chunk is complete:
 * the first frame then waits for the first bytes, not for a whole chunk (at 1 MB/s a 1 MiB chunk
 * takes a second to complete; BENCHMARKS.md S4). Only bytes `[0, received)` of a download's
 * buffer are exposed, and only after its response headers passed validation (206, exact
 * Content-Range, unchanged ETag/Last-Modified). A retry starts a new buffer at 0; readers keep
 * their own offset, so they simply wait until the new attempt passes it (same validated bytes).
 */
export class PartialChunks {
  private readonly partials = new Map<number, { buffer: Uint8Array; received: number }>();
  private readonly wakers = new Map<number, { promise: Promise<void>; wake: () => void }>();

  /** A download of chunk `index` has `received` valid bytes at the start of `buffer`. */
  progress(index: number, buffer: Uint8Array, received: number): void {
    this.partials.set(index, { buffer, received });
    this.wake(index);
  }

  /** The download of `index` ended (stored, failed or aborted): forget its buffer. */
  end(index: number): void {
    this.partials.delete(index);
    this.wake(index);
  }

  /**
   * The bytes of chunk `index` from `offset` received so far, or null if none yet: a view, not a
   * copy — a download only ever appends to its buffer (a retry gets a new one), so bytes below
   * `received` never change under a reader holding them.
   */
  bytesFrom(index: number, offset: number): Uint8Array | null {
    const p = this.partials.get(index);
    if (!p || p.received <= offset) return null;
    return p.buffer.subarray(offset, p.received);
  }

  /** Bytes received so far by the download of `index` (0 when none is running). */
  received(index: number): number {
    return this.partials.get(index)?.received ?? 0;
  }

  /** Resolves at the next progress or end of chunk `index`'s download. */
  changed(index: number): Promise<void> {
    let w = this.wakers.get(index);
    if (!w) {
      let wake!: () => void;
      const promise = new Promise<void>((resolve) => {
        wake = resolve;
      });
      w = { promise, wake };
      this.wakers.set(index, w);
    }
    return w.promise;
  }

  private wake(index: number): void {
    const w = this.wakers.get(index);
    if (!w) return;
    this.wakers.delete(index);
    w.wake();
  }
}
