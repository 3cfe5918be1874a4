import type { ChunkStore } from '../store/ChunkStore.ts';
import { byMedia } from './byMedia.ts';
import type { CacheIndex } from './CacheIndex.ts';
import type { LruEvictor } from './LruEvictor.ts';
import { isQuotaError, type QuotaBudget } from './QuotaBudget.ts';

/**
 * Keeps what is stored within the budget: evicts what the `LruEvictor` picks until more bytes
 * fit, and turns the browser's `QuotaExceededError` into a lower budget, evictions and one retry.
 * The cache calls it inside its one-at-a-time queue, so two writers never spend the same room.
 */
export class RoomKeeper {
  constructor(
    private readonly store: ChunkStore,
    /** The cache's index now (`verify` replaces it). */
    private readonly index: () => CacheIndex,
    private readonly budget: QuotaBudget,
    private readonly evictor: LruEvictor,
  ) {}

  /**
   * Evict until `bytes` more fit in the budget; false when nothing evictable makes room. With
   * `batch`, an eviction frees that many bytes more when it can (never failing for it), so a
   * long cold read past the budget plans an eviction every few chunks rather than before every
   * write: each plan visits every stored chunk (S7: the worker's heap grew with the stored count
   * when it ran per write).
   */
  async makeRoom(bytes: number, batch = 0): Promise<boolean> {
    const index = this.index();
    const over = index.total + bytes - this.budget.effective;
    if (over <= 0) return true;
    const plan =
      (batch > 0 ? this.evictor.plan(index, over + batch) : null) ?? this.evictor.plan(index, over);
    if (plan === null) return false;
    // One delete per media: chunks merged into one stored value go together, not one by one
    // (each of those would split the value again, see ChunkStore.mergeChunks). The index
    // forgets exactly what the store removed; a chunk it could not remove stays counted.
    for (const [key, indexes] of byMedia(plan))
      for (const i of await this.store.deleteChunks(key, indexes)) index.remove(key, i);
    return index.total + bytes <= this.budget.effective;
  }

  /**
   * The browser refused a write: its real limit is below our budget. Stay under what is stored
   * now and evict `bytes` (at most what is stored); false when that cannot be done.
   */
  afterRefusal(bytes: number): Promise<boolean> {
    const total = this.index().total;
    this.budget.refused(total);
    return this.makeRoom(Math.min(bytes, total));
  }

  /**
   * The extra bytes the eviction before writing a chunk of `chunkBytes` frees (see `makeRoom`):
   * 1/64 of the budget, when that is at least four such chunks (a budget of 256 chunks or more,
   * where planning per write costs); else none, and a small cache evicts exactly what it must.
   */
  evictionBatch(chunkBytes: number): number {
    const batch = Math.floor(this.budget.effective / 64);
    return batch >= 4 * chunkBytes ? batch : 0;
  }

  /** Put a chunk; on `QuotaExceededError` make room and retry once. False: no room to be had. */
  async putChunk(key: string, version: number, index: number, data: Blob): Promise<boolean> {
    try {
      await this.store.putChunk(key, version, index, data);
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      if (!(await this.afterRefusal(data.size))) return false;
      await this.store.putChunk(key, version, index, data);
    }
    return true;
  }

  /** Run a metadata write; on `QuotaExceededError` make room as for a chunk and retry once. */
  async write(write: () => Promise<void>, bytes: number): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      if (!(await this.afterRefusal(bytes))) throw error;
      await write();
    }
  }
}
