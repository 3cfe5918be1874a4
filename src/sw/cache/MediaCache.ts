import type { CacheEntry, CacheUsage, StoreRepair } from '../../shared/types.ts';
import type { ChunkStore, MediaMeta, StoreKind } from '../store/ChunkStore.ts';
import { KeyedQueue } from '../store/KeyedQueue.ts';
import { StaleWriteError } from '../store/StaleWriteError.ts';
import { type CacheIndex, fits } from './CacheIndex.ts';
import { describeContent, type MediaDescription } from './describeContent.ts';
import { groupsToMerge } from './groupsToMerge.ts';
import { LruEvictor, type MediaActivity } from './LruEvictor.ts';
import { type Estimate, QuotaBudget } from './QuotaBudget.ts';
import { RoomKeeper } from './RoomKeeper.ts';
import { rebuildIndex, reconcile } from './rebuildIndex.ts';
import { TouchPersister } from './TouchPersister.ts';
import { toCacheEntry } from './toCacheEntry.ts';

export type { MediaActivity, MediaDescription };

/** `stored`, or why not: `no-room` (nothing evictable makes room), `not-cached` (deleted or stale). */
/** Room a metadata write asks for when the browser refused one (a record is far smaller). */
const METADATA_ROOM = 64 * 1024;

export type WriteOutcome = 'stored' | 'no-room' | 'not-cached';

/**
 * The cache: policy over a `ChunkStore`. It keeps the index of what is stored (`CacheIndex`,
 * rebuilt from the store at open), keeps stored bytes within the budget (`QuotaBudget`) by
 * evicting least-recently-used chunks before each write (`LruEvictor`), decides when a media's
 * content changed (`sameContent`) and gives each content a new version, and answers the
 * management API. Writes, evictions and deletes run one at a time, so two writers never spend
 * the same free bytes.
 */
export class MediaCache {
  private readonly evictor = new LruEvictor();
  private readonly room: RoomKeeper;
  private readonly touches: TouchPersister;
  private queue: Promise<unknown> = Promise.resolve();
  /** Versions only grow within a worker's life, even across a delete and a new describe. */
  private lastVersion = 0;
  /** The peak of the indexes `verify` replaced: `peakStoredBytes` is the worker's life's. */
  private earlierPeak = 0;
  /** Groups whose merge was tried: `key \n version \n first chunk`. */
  private readonly mergeTried = new Set<string>();
  /**
   * Merges wait here and run one at a time, each entering the write queue on its own (never
   * beside an eviction or a write of the same chunks), so writes queued meanwhile wait for one
   * merge at most, not for all of a media's.
   */
  private readonly merges = new KeyedQueue();

  private constructor(
    private readonly store: ChunkStore,
    private index: CacheIndex,
    private readonly budget: QuotaBudget,
    private readonly now: () => number,
  ) {
    this.room = new RoomKeeper(store, () => this.index, budget, this.evictor);
    this.touches = new TouchPersister(async (touches) => {
      await this.exclusive(async () => {
        for (const [key, at] of touches) if (this.index.get(key)) await this.store.touch(key, at);
      });
    });
    for (const m of index.all()) this.lastVersion = Math.max(this.lastVersion, m.meta.version);
  }

  /** Open on `store`: rebuild the index from its listing (orphans deleted), evict to budget. */
  static async open(
    store: ChunkStore,
    budget: number,
    estimate: Estimate = async () => null,
    now: () => number = Date.now,
  ): Promise<MediaCache> {
    const { index } = await rebuildIndex(store);
    const cache = new MediaCache(store, index, new QuotaBudget(budget, estimate), now);
    await cache.refreshBudget();
    return cache;
  }

  get storeKind(): StoreKind {
    return this.store.kind;
  }

  /** Whether Blobs read from the store stay readable once evicted (`ChunkStore`). */
  get blobsOutliveRemoval(): boolean {
    return this.store.blobsOutliveRemoval;
  }

  getMedia(key: string): MediaMeta | undefined {
    return this.index.get(key)?.meta;
  }

  isStored(key: string, index: number): boolean {
    return this.index.has(key, index);
  }

  storedChunks(key: string): number {
    return this.index.get(key)?.storedChunks ?? 0;
  }

  /** What `owner` (a media runtime) needs kept of `key` now; null when done with it. */
  reportActivity(key: string, owner: object, activity: MediaActivity | null): void {
    this.evictor.report(key, owner, activity);
  }

  /**
   * Keep chunks `from..to` of `key` from eviction until the returned function is called
   * (idempotent), whatever becomes of the media that asked: a response streaming a stored Blob
   * that stops being readable once they are evicted (`blobsOutliveRemoval` false).
   */
  keepFromEviction(key: string, from: number, to: number): () => void {
    const owner = {};
    this.evictor.report(key, owner, { readers: [], windows: [[from, to]], busy: new Set() });
    return () => this.evictor.report(key, owner, null);
  }

  /**
   * Record what a probe found. Same content as stored (`sameContent`): the chunks are kept and
   * the metadata refreshed. Otherwise the chunks are dropped and the media gets a new version,
   * so writes still carrying the old one are refused by the store.
   */
  describeMedia(d: MediaDescription): Promise<{ meta: MediaMeta; dropped: boolean }> {
    return this.exclusive(async () => {
      const old = this.index.get(d.key);
      const next = describeContent(old?.meta, d, this.lastVersion + 1, this.now());
      if (!next.keepChunks) {
        this.lastVersion++;
        if (old) await this.store.deleteMedia(d.key);
      }
      await this.room.write(() => this.store.putMedia(next.meta), METADATA_ROOM);
      this.index.setMeta(next.meta, next.keepChunks);
      return { meta: next.meta, dropped: !next.keepChunks && (old?.storedChunks ?? 0) > 0 };
    });
  }

  async readChunk(key: string, index: number): Promise<Blob | undefined> {
    const blob = await this.store.getChunk(key, index);
    // Gone from the store though the index says stored (a file removed behind our back): unmark.
    if (blob === undefined && this.index.has(key, index)) this.index.remove(key, index);
    return blob;
  }

  /**
   * Chunks `from..to` back to back as one Blob, or null unless all are stored. Afterwards, the
   * groups of chunks this read touched that are stored whole are merged into single stored
   * values where the store can (`ChunkStore.mergeChunks`): a media read again from the store is
   * read faster the next time. Each group is tried once in a worker's life.
   */
  async readSpan(key: string, from: number, to: number): Promise<Blob | null> {
    const span = await this.store.getSpan(key, from, to);
    if (span !== null) this.mergeGroups(key, from, to);
    return span;
  }

  private mergeGroups(key: string, from: number, to: number): void {
    const merge = this.store.mergeChunks?.bind(this.store);
    const m = this.index.get(key);
    if (!merge || !m) return;
    const { version } = m.meta;
    for (const group of groupsToMerge(m.meta, from, to, (i) => m.stored.has(i))) {
      const name = `${key}\n${version}\n${group.first}`;
      if (this.mergeTried.has(name)) continue;
      this.mergeTried.add(name);
      // A merge that fails (quota, version moved on) changes nothing and is not retried.
      this.merges
        .run('merges', () => this.exclusive(() => merge(key, version, group.first, group.count)))
        .catch(() => undefined);
    }
  }

  /**
   * Store chunk `index` of version `version` of `key`, first evicting least-recently-used chunks
   * until it fits. A `QuotaExceededError` lowers the budget to what is stored, evicts to make
   * room and retries once; a second failure rejects.
   */
  writeChunk(key: string, version: number, index: number, data: Blob): Promise<WriteOutcome> {
    return this.exclusive(async () => {
      const m = this.index.get(key);
      if (m === undefined || m.meta.version !== version) return 'not-cached';
      if (!fits(m.meta, index, data.size)) {
        throw new DOMException(
          `chunk ${index} of ${key} cannot hold ${data.size} bytes`,
          'DataError',
        );
      }
      if (m.stored.has(index)) return 'stored';
      if (!(await this.room.makeRoom(data.size, this.room.evictionBatch(data.size))))
        return 'no-room';
      try {
        if (!(await this.room.putChunk(key, version, index, data))) return 'no-room';
      } catch (error) {
        if (!(error instanceof StaleWriteError)) throw error;
        // The store lost the media (its database deleted under us, site data cleared): forget
        // it too, so the next request describes it anew and caching resumes.
        if (error.current === null) this.index.delete(key);
        return 'not-cached';
      }
      this.index.add(key, index);
      this.touch(key);
      return 'stored';
    });
  }

  /** Record an access (LRU order): at once in memory, persisted by `TouchPersister`. */
  touch(key: string): void {
    const m = this.index.get(key);
    if (!m) return;
    const at = this.now();
    this.index.setMeta({ ...m.meta, lastAccess: at }, true);
    this.touches.record(key, at);
  }

  /** Write the recorded accesses now. */
  persistTouches(): Promise<void> {
    return this.touches.flush();
  }

  /** Pin or unpin a media (and record the access), persisted at once. */
  setPinned(key: string, pinned: boolean): Promise<void> {
    return this.exclusive(async () => {
      const m = this.index.get(key);
      if (!m) return;
      const at = this.now();
      this.index.setMeta({ ...m.meta, pinned, lastAccess: at }, true);
      this.touches.record(key, at); // the access is persisted with the others
      await this.store.setPinned(key, pinned);
    });
  }

  /** Bytes of media pinned now (their full sizes: a pinned media is meant to be whole). */
  pinnedBytes(except?: string): number {
    let sum = 0;
    for (const { meta } of this.index.all())
      if (meta.pinned && meta.key !== except) sum += meta.size;
    return sum;
  }

  /** Entries in LRU order: the first is the next to lose chunks. */
  list(): CacheEntry[] {
    return this.index
      .all()
      .sort((x, y) => x.meta.lastAccess - y.meta.lastAccess)
      .map(toCacheEntry);
  }

  /** One media's entry (see `list`). */
  entry(key: string): CacheEntry | undefined {
    const m = this.index.get(key);
    return m && toCacheEntry(m);
  }

  async usage(): Promise<CacheUsage> {
    return {
      store: this.store.kind,
      storedAs: this.store.storedAs,
      storedBytes: this.index.total,
      peakStoredBytes: Math.max(this.index.peak, this.earlierPeak),
      ...(await this.budget.usage()),
    };
  }

  delete(key: string, version?: number): Promise<boolean> {
    return this.exclusive(async () => {
      const m = this.index.get(key);
      // Only that version, when one is named: a newer one is another content's.
      if (!m || (version !== undefined && m.meta.version !== version)) return false;
      await this.store.deleteMedia(key);
      this.index.delete(key);
      return true;
    });
  }

  async clear(): Promise<void> {
    for (const m of this.index.all()) await this.delete(m.meta.key);
  }

  /** Change the configured budget and evict down to it. */
  setBudget(bytes: number): Promise<void> {
    this.budget.configured = bytes;
    return this.refreshBudget();
  }

  /** Re-read the browser's estimate and evict until within the effective budget. */
  async refreshBudget(): Promise<void> {
    await this.budget.refresh(this.index.total);
    await this.exclusive(() => this.room.makeRoom(0));
  }

  /** Rebuild the index from what the store really holds; report and delete what did not fit. */
  async verify(): Promise<StoreRepair> {
    await this.touches.flush(); // (queues its own exclusive write: never flush inside one)
    return this.exclusive(async () => {
      const rebuilt = await rebuildIndex(this.store);
      const repair = reconcile(this.index, rebuilt);
      this.earlierPeak = Math.max(this.earlierPeak, this.index.peak);
      this.index = rebuilt.index;
      return repair;
    });
  }

  /** Stop the timers (the worker glue calls it when the proxy is released). */
  release(): void {
    this.touches.release();
  }

  /**
   * Make room after the browser refused a write that is not a chunk's (a session or a setting,
   * `QuotaExceededError`): the budget is lowered to what is stored and chunks are evicted as for
   * a refused chunk write. Resolves whether room was made (the caller then retries once).
   */
  relieveQuota(): Promise<boolean> {
    return this.exclusive(() => this.room.afterRefusal(METADATA_ROOM));
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
