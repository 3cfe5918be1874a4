import type { MediaMeta, StoredChunk } from '../store/ChunkStore.ts';
import { ChunkBitmap } from './ChunkBitmap.ts';
import { chunkCount, chunkLength } from './chunkMath.ts';

/** One media as the index holds it: its metadata and which of its chunks are stored. */
export interface IndexedMedia {
  readonly meta: MediaMeta;
  readonly stored: ChunkBitmap;
  readonly storedBytes: number;
  readonly storedChunks: number;
}

/**
 * The in-memory index of what is stored: per media, its metadata and a bitmap of stored chunks,
 * and the total bytes. Rebuilt from the store's own listing when the cache opens (`build`), so
 * a backend never has to change a chunk and an index in one atomic step; afterwards it changes
 * only with the store's completed writes and removals. Pure (no I/O).
 */
export class CacheIndex {
  private readonly media = new Map<string, IndexedMedia>();
  private totalBytes = 0;
  private peakBytes = 0;

  /**
   * The index of `metas` and `chunks`, and the chunks no media can hold (unknown key, index out
   * of range, or a length that is not the chunk's): orphans for the caller to delete.
   */
  static build(
    metas: MediaMeta[],
    chunks: StoredChunk[],
  ): { index: CacheIndex; orphans: StoredChunk[] } {
    const index = new CacheIndex();
    for (const meta of metas) index.setMeta(meta, false);
    const orphans: StoredChunk[] = [];
    for (const c of chunks) {
      const m = index.media.get(c.key);
      if (m === undefined || !fits(m.meta, c.index, c.size) || !index.add(c.key, c.index)) {
        orphans.push(c);
      }
    }
    return { index, orphans };
  }

  get(key: string): IndexedMedia | undefined {
    return this.media.get(key);
  }

  all(): IndexedMedia[] {
    return [...this.media.values()];
  }

  get total(): number {
    return this.totalBytes;
  }

  /** The most bytes ever stored at once while this index lived. */
  get peak(): number {
    return this.peakBytes;
  }

  has(key: string, index: number): boolean {
    return this.media.get(key)?.stored.has(index) ?? false;
  }

  /** Set a media's metadata; its stored chunks are kept only when `keepChunks` (same content). */
  setMeta(meta: MediaMeta, keepChunks: boolean): void {
    const old = this.media.get(meta.key);
    if (old && keepChunks) {
      this.media.set(meta.key, { ...old, meta });
      return;
    }
    if (old) this.totalBytes -= old.storedBytes;
    this.media.set(meta.key, {
      meta,
      stored: ChunkBitmap.empty(chunkCount(meta.size, meta.chunkSize)),
      storedBytes: 0,
      storedChunks: 0,
    });
  }

  /** Mark chunk `index` stored; false when the media is unknown or it already was. */
  add(key: string, index: number): boolean {
    const m = this.media.get(key);
    if (m === undefined || m.stored.has(index)) return false;
    const size = chunkLength(index, m.meta.size, m.meta.chunkSize);
    this.media.set(key, {
      ...m,
      stored: m.stored.with(index),
      storedBytes: m.storedBytes + size,
      storedChunks: m.storedChunks + 1,
    });
    this.totalBytes += size;
    this.peakBytes = Math.max(this.peakBytes, this.totalBytes);
    return true;
  }

  /** Unmark chunk `index`; returns the bytes it held (0 when it was not stored). */
  remove(key: string, index: number): number {
    const m = this.media.get(key);
    if (m === undefined || !m.stored.has(index)) return 0;
    const size = chunkLength(index, m.meta.size, m.meta.chunkSize);
    this.media.set(key, {
      ...m,
      stored: m.stored.without(index),
      storedBytes: m.storedBytes - size,
      storedChunks: m.storedChunks - 1,
    });
    this.totalBytes -= size;
    return size;
  }

  /** Forget a media; returns the bytes its chunks held. */
  delete(key: string): number {
    const m = this.media.get(key);
    if (m === undefined) return 0;
    this.media.delete(key);
    this.totalBytes -= m.storedBytes;
    return m.storedBytes;
  }
}

/** Whether a chunk of `size` bytes at `index` is one this media can hold. */
export function fits(meta: MediaMeta, index: number, size: number): boolean {
  return (
    Number.isInteger(index) &&
    index >= 0 &&
    index < chunkCount(meta.size, meta.chunkSize) &&
    size === chunkLength(index, meta.size, meta.chunkSize)
  );
}
