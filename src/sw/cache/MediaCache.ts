import type { CacheEntry, CacheUsage } from '../../shared/protocol.ts';
import type { ChunkStore, MediaDescription, StoreRepair } from '../store/ChunkStore.ts';
import type { MediaRecord } from '../store/schema.ts';
import { ChunkBitmap } from './ChunkBitmap.ts';
import { chooseEvictions, type EvictableMedia } from './chooseEvictions.ts';
import { chunkCount, chunkLength } from './chunkMath.ts';
import { resolveBudget } from './resolveBudget.ts';

/** What the cache needs to know of a media that is being played or downloaded right now. */
export interface MediaActivity {
  /** Chunk positions of the active readers. */
  readers(): number[];
  /** Chunks an active read window or running download needs. */
  isProtected(index: number): boolean;
  /** A stored chunk was evicted. */
  removed(index: number): void;
  /** The whole media was deleted (or its content dropped): stop relying on stored chunks. */
  deleted(): void;
}

/** How often recorded accesses are written to the database (see `touch`). */
const TOUCH_PERSIST_MS = 2000;

export type WriteOutcome = 'stored' | 'no-room' | 'not-cached';

/**
 * The cache facade over a `ChunkStore`: keeps the stored bytes within the budget by evicting
 * least-recently-used chunks before each write (`chooseEvictions`), handles the browser's
 * `QuotaExceededError`, and answers the management API. Writes and evictions run one at a time,
 * so two writers can never both spend the same free bytes; IndexedDB would serialise their
 * transactions anyway, so nothing is lost by it.
 *
 * The byte count is kept in memory from the records (loaded once) and changes only with the
 * store's own atomic write/remove results, so it cannot drift from what is stored; `verify`
 * recounts from the chunks themselves.
 */
export class MediaCache {
  private records = new Map<string, MediaRecord>();
  private total = 0;
  private peak = 0;
  private effective: number;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly activity = new Map<string, Set<MediaActivity>>();
  quotaErrors = 0;
  private readonly pendingTouches = new Map<string, number>();
  private touchTimer: ReturnType<typeof setTimeout> | null = null;
  /** What was stored when the browser last refused a write: the real limit, below estimate(). */
  private quotaCeiling = Number.POSITIVE_INFINITY;

  private constructor(
    private readonly store: ChunkStore,
    private configured: number,
    private readonly estimate: () => Promise<{ quota?: number; usage?: number } | null>,
    private readonly now: () => number,
  ) {
    this.effective = configured;
  }

  static async open(
    store: ChunkStore,
    budget: number,
    estimate: () => Promise<{ quota?: number; usage?: number } | null> = async () => null,
    now: () => number = Date.now,
  ): Promise<MediaCache> {
    const cache = new MediaCache(store, budget, estimate, now);
    await cache.reload();
    await cache.refreshBudget();
    return cache;
  }

  /** Register what is happening to `key` right now; returns the unregister function. */
  watch(key: string, activity: MediaActivity): () => void {
    const set = this.activity.get(key) ?? new Set();
    this.activity.set(key, set);
    set.add(activity);
    return () => {
      set.delete(activity);
      if (set.size === 0) this.activity.delete(key);
    };
  }

  getMedia(key: string): MediaRecord | undefined {
    return this.records.get(key);
  }

  describeMedia(d: MediaDescription): Promise<MediaRecord> {
    return this.exclusive(async () => {
      const old = this.records.get(d.key);
      const { record, dropped } = await this.store.describeMedia(d);
      this.total += record.storedBytes - (old?.storedBytes ?? 0);
      this.records.set(d.key, record);
      if (dropped) for (const a of this.activity.get(d.key) ?? []) a.deleted();
      return record;
    });
  }

  readChunks(key: string, from: number, to: number): Promise<Blob[] | null> {
    return this.store.readChunks(key, from, to);
  }

  readChunk(key: string, index: number): Promise<Blob | undefined> {
    return this.store.readChunk(key, index);
  }

  /**
   * Store chunk `index` of `key`, first evicting least-recently-used chunks until it fits.
   * `no-room`: everything evictable would not make room (the chunk is not stored); `not-cached`:
   * the media was deleted meanwhile. A `QuotaExceededError` lowers the budget to what is stored,
   * evicts to make room and retries once; a second failure rejects.
   */
  writeChunk(key: string, index: number, data: Blob): Promise<WriteOutcome> {
    return this.exclusive(async () => {
      const record = this.records.get(key);
      if (record === undefined) return 'not-cached';
      if (ChunkBitmap.from(record.stored).has(index)) return 'stored';
      if (!(await this.makeRoom(data.size))) return 'no-room';
      let next: MediaRecord;
      try {
        next = await this.store.writeChunk(key, index, data);
      } catch (error) {
        if (!isQuotaError(error)) throw error;
        // The browser's real limit is below our budget: stay under what fit, and try once more.
        this.quotaErrors++;
        this.quotaCeiling = Math.min(this.quotaCeiling, this.total);
        this.effective = Math.min(this.effective, this.quotaCeiling);
        if (!(await this.makeRoom(data.size))) return 'no-room';
        next = await this.store.writeChunk(key, index, data);
      }
      // Compare with the record as it is now: making room may have evicted chunks of this very
      // media (already subtracted from the total), so the one read before is stale.
      const before = this.records.get(key)?.storedBytes ?? 0;
      this.records.set(key, next);
      this.total += next.storedBytes - before;

      this.peak = Math.max(this.peak, this.total);
      return 'stored';
    });
  }

  /**
   * Record an access (LRU order). The eviction order sees it at once; the database only every
   * `TOUCH_PERSIST_MS`, coalesced: a readwrite transaction per request, queued behind chunk
   * writes, made many small range requests ever slower (BENCHMARKS.md S6: 292 → 158 req/s over
   * five rounds). A worker stopped meanwhile loses at most that much access history.
   */
  touch(key: string): void {
    const record = this.records.get(key);
    if (!record) return;
    const at = this.now();
    this.records.set(key, { ...record, lastAccess: at });
    this.pendingTouches.set(key, at);
    this.touchTimer ??= setTimeout(() => {
      this.touchTimer = null;
      void this.persistTouches();
    }, TOUCH_PERSIST_MS);
  }

  /** Write the accesses `touch` recorded since the last time (the tests call it directly). */
  persistTouches(): Promise<void> {
    const pending = [...this.pendingTouches];
    this.pendingTouches.clear();
    return this.exclusive(async () => {
      for (const [key, at] of pending) if (this.records.has(key)) await this.store.touch(key, at);
    }).catch(() => undefined);
  }

  /** Pin or unpin a media (and record the access), persisted at once. */
  setPinned(key: string, pinned: boolean): Promise<void> {
    // Queued with writes, so a write's returned record can never overwrite a newer pin.
    return this.exclusive(async () => {
      const record = this.records.get(key);
      if (!record) return;
      const at = this.now();
      this.records.set(key, { ...record, lastAccess: at, pinned });
      await this.store.touch(key, at, pinned);
    });
  }

  /** Bytes of media pinned now (their full sizes: a pinned media is meant to be whole). */
  pinnedBytes(except?: string): number {
    let sum = 0;
    for (const r of this.records.values()) if (r.pinned && r.key !== except) sum += r.size;
    return sum;
  }

  /** Entries in LRU order: the first is the next to lose chunks. */
  list(): CacheEntry[] {
    return [...this.records.values()]
      .sort((a, b) => a.lastAccess - b.lastAccess)
      .map((r) => ({
        key: r.key,
        url: r.url,
        size: r.size,
        storedBytes: r.storedBytes,
        chunkSize: r.chunkSize,
        chunkCount: chunkCount(r.size, r.chunkSize),
        storedChunks: r.storedChunks,
        lastAccess: r.lastAccess,
        pinned: r.pinned,
      }));
  }

  async usage(): Promise<CacheUsage> {
    const estimate = await this.estimate().catch(() => null);
    return {
      storedBytes: this.total,
      peakStoredBytes: this.peak,
      budget: this.effective,
      configuredBudget: this.configured,
      browserQuota: estimate?.quota ?? null,
      browserUsage: estimate?.usage ?? null,
      quotaErrors: this.quotaErrors,
    };
  }

  delete(key: string): Promise<boolean> {
    return this.exclusive(async () => {
      const record = this.records.get(key);
      if (!record) return false;
      await this.store.deleteMedia(key);
      this.records.delete(key);
      this.total -= record.storedBytes;
      for (const a of this.activity.get(key) ?? []) a.deleted();
      return true;
    });
  }

  async clear(): Promise<void> {
    for (const key of [...this.records.keys()]) await this.delete(key);
  }

  /** Change the configured budget and evict down to it. */
  setBudget(bytes: number): Promise<void> {
    this.configured = bytes;
    return this.refreshBudget();
  }

  /** Re-read the browser's estimate and evict until within the effective budget. */
  async refreshBudget(): Promise<void> {
    const estimate = await this.estimate().catch(() => null);
    // A ceiling learnt from a QuotaExceededError holds for this worker's life: estimate() would
    // only promise the same unreachable room again.
    this.effective = Math.min(
      resolveBudget(this.configured, estimate, this.total),
      this.quotaCeiling,
    );
    await this.exclusive(() => this.makeRoom(0));
  }

  /** Recount stored chunks against the records and repair drift (see `ChunkStore.verify`). */
  verify(): Promise<StoreRepair> {
    return this.exclusive(async () => {
      const repair = await this.store.verify();
      await this.reload();
      return repair;
    });
  }

  private async reload(): Promise<void> {
    const all = await this.store.listMedia();
    this.records = new Map(all.map((r) => [r.key, r]));
    this.total = all.reduce((sum, r) => sum + r.storedBytes, 0);
    this.peak = Math.max(this.peak, this.total);
  }

  /** Evict until `bytes` more fit in the budget. Call inside `exclusive`. */
  private async makeRoom(bytes: number): Promise<boolean> {
    const over = this.total + bytes - this.effective;
    if (over <= 0) return true;
    const plan = chooseEvictions(this.evictable(), over);
    if (plan === null) return false;
    for (const e of plan) {
      const freed = await this.store.removeChunk(e.key, e.index);
      const record = this.records.get(e.key);
      if (record) {
        this.records.set(e.key, {
          ...record,
          stored: ChunkBitmap.from(record.stored).without(e.index).toBytes(),
          storedBytes: record.storedBytes - freed,
          storedChunks: record.storedChunks - (freed > 0 ? 1 : 0),
        });
      }
      this.total -= freed;
      for (const a of this.activity.get(e.key) ?? []) a.removed(e.index);
    }
    return true;
  }

  private evictable(): EvictableMedia[] {
    return [...this.records.values()].map((r) => {
      const active = [...(this.activity.get(r.key) ?? [])];
      return {
        key: r.key,
        lastAccess: r.lastAccess,
        pinned: r.pinned,
        chunks: ChunkBitmap.from(r.stored)
          .indexes()
          .map((index) => ({ index, size: chunkLength(index, r.size, r.chunkSize) })),
        readers: active.flatMap((a) => a.readers()),
        isProtected: (i: number) => active.some((a) => a.isProtected(i)),
      };
    });
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * The browser refused a write for lack of room. (Only this name: an `UnknownError` is a disk or
 * backend fault, and taking it for a quota would lower the budget for the worker's life.)
 */
function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}
