import type { ChunkActivity } from '../../shared/types.ts';
import type { MediaActivity } from '../cache/LruEvictor.ts';
import type { MediaCache } from '../cache/MediaCache.ts';
import type { EarlyRange } from '../upstream/EarlyRange.ts';
import {
  type ChunkData,
  ChunkDownloader,
  type DownloadTarget,
  type RetryPolicy,
} from './ChunkDownloader.ts';
import { ChunkScheduler, type SchedulerCounts } from './ChunkScheduler.ts';
import type { MediaCounters } from './MediaCounters.ts';
import type { PartialChunks } from './PartialChunks.ts';
import { ReaderWindows } from './ReaderWindows.ts';
import { RecentChunks } from './RecentChunks.ts';

/** A reader's cursor: where it reads now; `close` when it is done. */
export interface ReaderCursor {
  moveTo(index: number): void;
  close(): void;
}

/** What the downloads of one media ask of the media they belong to. */
export interface DownloadHooks {
  isStored(index: number): boolean;
  /** A chunk's validators said the content changed. */
  contentChanged(): void;
  /** What is queued, running or read changed (for the evictor and the stats). */
  changed(): void;
}

/**
 * The downloads of one media and the readers that drive them: the seed design's split done for
 * real — required chunks are awaited (`download`), the prefetch window after each reader runs
 * without blocking anyone, at most `concurrency` at a time (`ChunkScheduler`), each chunk fetched
 * once however many readers want it (`ChunkDownloader` keeps dropped downloads that finish).
 */
export class MediaDownloads {
  private readonly windows: ReaderWindows;
  private readonly downloader: ChunkDownloader;
  private readonly scheduler: ChunkScheduler<ChunkData>;
  /** How many readers wait on each chunk's bytes now (`download` with `forReader`). */
  private readonly awaited = new Map<number, number>();
  /** Chunks just made final, for readers behind the downloads (see RecentChunks). */
  private readonly recent: RecentChunks;

  constructor(
    target: DownloadTarget,
    cache: MediaCache,
    counters: MediaCounters,
    private readonly partials: PartialChunks,
    private readonly settings: RetryPolicy & { concurrency: number; prefetch: number },
    private readonly chunkTotal: number,
    private readonly hooks: DownloadHooks,
    offline: boolean,
  ) {
    this.windows = new ReaderWindows(settings.prefetch);
    // A reader's chunk and its window: what is ahead of a reader is never pushed out.
    this.recent = new RecentChunks(settings.prefetch + 1);
    this.downloader = new ChunkDownloader(
      target,
      cache,
      counters,
      partials,
      settings,
      () => hooks.contentChanged(),
      offline,
      (index, bytes) => {
        // Only stored chunks are read from it (ParallelMedia.readChunk): keep no other. And only
        // one in a reader's window: a chunk of a download for offline, one far from every
        // reader, or one finished after every reader left would stay in memory until pushed out
        // or the media closes (60 s idle), and push out the chunks a reader is about to read.
        if (bytes && hooks.isStored(index) && this.windows.contains(index))
          this.recent.add(index, bytes);
        hooks.changed();
      },
      (index) => this.awaited.has(index),
    );
    this.scheduler = new ChunkScheduler(
      (i, signal) => this.downloader.run(i, signal),
      settings.concurrency,
      () => hooks.changed(),
    );
  }

  offerEarly(early: EarlyRange): void {
    this.downloader.offerEarly(early);
  }

  isDownloading(index: number): boolean {
    return this.downloader.isRunning(index) || this.scheduler.has(index);
  }

  get readerCount(): number {
    return this.windows.count;
  }

  /**
   * The bytes of chunk `index` if it was made final moments ago and a reader has yet to pass it
   * (a read that needs neither storage nor the network), else undefined.
   */
  recentBytes(index: number): ChunkData | undefined {
    return this.recent.get(index);
  }

  /**
   * Chunk `index` from its download, started (required, first in line) or joined. `forReader`:
   * a reader waits on its bytes, so a download started meanwhile reads them as they arrive
   * (false for a download for offline, which only needs the chunk stored).
   */
  async download(index: number, signal?: AbortSignal, forReader = true): Promise<ChunkData> {
    if (!forReader) return this.fetch(index, signal);
    this.awaited.set(index, (this.awaited.get(index) ?? 0) + 1);
    try {
      return await this.fetch(index, signal);
    } finally {
      const left = (this.awaited.get(index) ?? 1) - 1;
      if (left > 0) this.awaited.set(index, left);
      else this.awaited.delete(index);
    }
  }

  private async fetch(index: number, signal?: AbortSignal): Promise<ChunkData> {
    // A dropped prefetch more than half in, or read natively within its grace, is finished
    // (droppedPrefetch.ts): join it rather than start a second download, so "each chunk
    // fetched once" holds.
    const orphan = this.scheduler.has(index) ? undefined : this.downloader.runningDownload(index);
    if (orphan) {
      try {
        return await orphan;
      } catch {
        // It was aborted after all: download it anew below.
      }
    }
    const bytes = await this.scheduler.waitForChunk(index, signal);
    // The slot was freed when the bytes came in; a reader's chunk is final once stored (a
    // response never ends before every chunk it read is), so wait for the write too.
    return (await this.downloader.runningDownload(index)) ?? bytes;
  }

  /**
   * Register a reader starting at chunk `index`. Its prefetch window starts with its first
   * `moveTo`, which the reader calls after it asked for the chunk it needs, so that required
   * chunk is first in the scheduler's line.
   */
  openReader(index: number): ReaderCursor {
    const reader = this.windows.add(index);
    // A new reader far from the others is a seek: drop prefetches outside every window.
    this.retainWindows();
    return {
      moveTo: (i) => {
        reader.position = i;
        this.recent.dropBefore(Math.min(...this.windows.positions()));
        this.prefetchAfter(i);
      },
      close: () => {
        if (!this.windows.remove(reader)) return;
        if (this.windows.count === 0) this.recent.clear(); // no reader left to read them
        // The last reader leaving keeps its prefetches (a pause, or the element about to reopen
        // a range nearby); a seek is only recognised when the new reader arrives. Only queued
        // ones go: a running download is likely wanted again soon (a media element jumping to
        // the tail and back, moov-at-end), and aborting it wastes it.
        if (this.windows.count > 0) this.retainWindows(false);
        else this.hooks.changed();
      },
    };
  }

  /**
   * Drop prefetches outside every reader's window: queued ones always, running ones too unless
   * `abortRunning` is false (a seek, or a cancelled download for offline, aborts them).
   */
  retainWindows(abortRunning = true): void {
    this.scheduler.retainPrefetches((i) => this.windows.contains(i), abortRunning);
    this.hooks.changed();
  }

  /**
   * End every download for good: queued, running, dropped ones finishing on their own (their
   * scheduler signal is spent: only the downloader's stop reaches them), and the early chunk-0
   * request sent with the probe and never adopted.
   */
  abortAll(reason: unknown): void {
    this.recent.clear();
    this.scheduler.abortAll(reason);
    this.downloader.stop(reason);
  }

  /**
   * The scheduler's counts, with `running` counting every download not final yet: fetching, or
   * fetched and still being written (its slot already free), or dropped and finishing anyway.
   */
  counts(): SchedulerCounts {
    const c = this.scheduler.counts();
    return { ...c, running: Math.max(c.running, this.downloader.runningIndexes().length) };
  }

  /** Downloading, queued and read chunks now (stats' `activity`, without the stored ones). */
  chunkActivity(): Omit<ChunkActivity, 'stored'> {
    const running = new Set([
      ...this.scheduler.runningIndexes(),
      ...this.downloader.runningIndexes(),
    ]);
    const windows = this.windows.windows();
    return {
      downloading: [...running]
        .sort((a, b) => a - b)
        .map((index) => ({ index, received: this.partials.received(index) || null })),
      queued: this.scheduler
        .indexes()
        .filter((i) => !running.has(i))
        .sort((a, b) => a - b),
      readers: windows.map(([position, end]) => ({
        position,
        windowEnd: Math.min(end, this.chunkTotal - 1),
      })),
    };
  }

  /** What must not be evicted now: readers, their windows, and every chunk being fetched. */
  activity(): MediaActivity {
    return {
      readers: this.windows.positions(),
      windows: this.windows.windows(),
      busy: new Set([...this.scheduler.indexes(), ...this.downloader.runningIndexes()]),
    };
  }

  private prefetchAfter(index: number): void {
    const last = Math.min(index + this.settings.prefetch, this.chunkTotal - 1);
    for (let j = index + 1; j <= last; j++) {
      if (!this.hooks.isStored(j) && !this.isDownloading(j)) this.scheduler.startPrefetch(j);
    }
    this.hooks.changed();
  }
}
