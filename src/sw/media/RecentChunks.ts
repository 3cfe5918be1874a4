import type { ChunkData } from './ChunkDownloader.ts';

/**
 * The bytes of the chunks stored last, kept in memory for the readers about to read them (a
 * natively read chunk is kept as its Blob: reading it back needs no trip through storage).
 * A reader behind the downloads (four run while it reads one) would otherwise read each chunk
 * back from storage right after it was written: a second trip through the browser process and
 * one more copy of every byte (BENCHMARKS.md S10). A chunk enters once it is final (validated
 * and its write settled), only when it is in a reader's window (`MediaDownloads`), and leaves
 * when every reader moved past it, when newer chunks push it out (at most `capacity`, so memory
 * stays bounded by the prefetch window), when the last reader leaves, or when the media's
 * content changes or it closes (`clear`).
 */
export class RecentChunks<T = ChunkData> {
  private readonly chunks = new Map<number, T>();

  constructor(private readonly capacity: number) {}

  add(index: number, bytes: T): void {
    this.chunks.delete(index);
    this.chunks.set(index, bytes);
    for (const oldest of this.chunks.keys()) {
      if (this.chunks.size <= this.capacity) break;
      this.chunks.delete(oldest);
    }
  }

  get(index: number): T | undefined {
    return this.chunks.get(index);
  }

  /** Every reader is at `index` or later: the chunks before it are read. */
  dropBefore(index: number): void {
    for (const i of this.chunks.keys()) if (i < index) this.chunks.delete(i);
  }

  clear(): void {
    this.chunks.clear();
  }

  get size(): number {
    return this.chunks.size;
  }
}
