import type { ChunkActivity, Validation } from '../../shared/types.ts';
import { chunkCount } from '../cache/chunkMath.ts';
import type { MediaCache } from '../cache/MediaCache.ts';
import type { ChunkSource } from '../serve/ChunkSource.ts';
import type { EarlyRange } from '../upstream/EarlyRange.ts';
import type { Upstream, UpstreamInfo } from '../upstream/UpstreamInfo.ts';
import type { RetryPolicy } from './ChunkDownloader.ts';
import { MediaCounters } from './MediaCounters.ts';
import { MediaDownloads, type ReaderCursor } from './MediaDownloads.ts';
import { ParallelMediaReads } from './ParallelMediaReads.ts';
import { PartialChunks } from './PartialChunks.ts';
import type { UpstreamSpeeds } from './UpstreamSpeeds.ts';

export type { ReaderCursor };

/** How one media is chunked and fetched. */
export interface ParallelSettings extends RetryPolicy {
  chunkSize: number;
  concurrency: number;
  prefetch: number;
}

/** What `ParallelMedia` is built from (see `openMedia`). */
export interface ParallelMediaOptions {
  key: string;
  /** The content version the cache gave this media's description. */
  version: number;
  info: UpstreamInfo;
  upstream: Upstream;
  settings: ParallelSettings;
  cache: MediaCache;
  /** The upstream was unreachable when it opened: serve what is stored, fail fast otherwise. */
  offline?: boolean;
  /** The runtime's speed records of upstream origins, shared by its media. */
  speeds: UpstreamSpeeds;
}

/**
 * A media served in parallel mode: fixed-size chunks downloaded several at a time
 * (`ChunkScheduler` + `ChunkDownloader`), stored through the cache, read by readers whose windows
 * drive prefetching. Shared by every session (and tab) with the same cache key, so each chunk is
 * downloaded once. Which chunks are stored is the cache's to say; this media reports what it
 * needs kept (readers, windows, downloads) and never holds a copy of the index. A content change,
 * however found, goes through `contentChanged`.
 */
export class ParallelMedia {
  readonly mode = 'parallel' as const;
  readonly key: string;
  /** The cache's version of this content; a new one after the media was deleted (`recache`). */
  version: number;
  readonly info: UpstreamInfo;
  readonly settings: ParallelSettings;
  readonly counters = new MediaCounters();
  /** Bytes of chunks still downloading, for readers that can use them early. */
  readonly partials = new PartialChunks();
  /** The newest session's URL and headers (a signed URL expires; the cache key stays). */
  upstream: Upstream;
  /** True once the content was found changed: the next request re-opens (and re-probes). */
  stale = false;
  /** True once closed: its readers end instead of falling back to the upstream. */
  closed = false;
  /**
   * Opened from what is stored because the upstream refused or failed the probe (`probeVerdict`):
   * holes answer 504 `offline-missing`, and the registry probes again later.
   */
  readonly servingStored: boolean;
  /** When it was opened (ms since epoch), for re-validating a media served from storage. */
  readonly openedAt = Date.now();
  private readonly cache: MediaCache;
  private readonly downloads: MediaDownloads;

  constructor(o: ParallelMediaOptions) {
    this.key = o.key;
    this.version = o.version;
    this.info = o.info;
    this.settings = o.settings;
    this.upstream = o.upstream;
    this.cache = o.cache;
    this.servingStored = o.offline ?? false;
    this.downloads = new MediaDownloads(
      {
        key: o.key,
        version: () => this.version,
        info: o.info,
        chunkSize: o.settings.chunkSize,
        upstream: () => this.upstream,
        speedOf: (upstream) => o.speeds.of(upstream.url),
      },
      o.cache,
      this.counters,
      this.partials,
      o.settings,
      chunkCount(o.info.size, o.settings.chunkSize),
      {
        isStored: (i) => this.isStored(i),
        contentChanged: () => this.contentChanged(),
        changed: () => this.changed(),
      },
      o.offline ?? false,
    );
  }

  get size(): number {
    return this.info.size;
  }

  get contentType(): string | null {
    return this.info.contentType;
  }

  get validation(): Validation {
    return this.info.validation;
  }

  get chunkSize(): number {
    return this.settings.chunkSize;
  }

  get chunkTotal(): number {
    return chunkCount(this.info.size, this.settings.chunkSize);
  }

  get readerCount(): number {
    return this.downloads.readerCount;
  }

  offerEarly(early: EarlyRange): void {
    this.downloads.offerEarly(early);
  }

  /** Whether chunk `index` of this content is stored. */
  isStored(index: number): boolean {
    return (
      !this.stale &&
      this.cache.getMedia(this.key)?.version === this.version &&
      this.cache.isStored(this.key, index)
    );
  }

  isDownloading(index: number): boolean {
    return this.downloads.isDownloading(index);
  }

  /** Chunks `from..to` as one stored Blob, or null unless all of them are stored. */
  readStoredSpan(from: number, to: number): Promise<Blob | null> {
    return this.cache.readSpan(this.key, from, to);
  }

  /** Whether a stored Blob stays readable once its chunks are evicted (`ChunkStore`). */
  get blobsOutliveRemoval(): boolean {
    return this.cache.blobsOutliveRemoval;
  }

  /** Keep chunks `from..to` from eviction until the returned function is called (`MediaCache`). */
  keepFromEviction(from: number, to: number): () => void {
    return this.cache.keepFromEviction(this.key, from, to);
  }

  /**
   * The bytes of chunk `index`: when stored, from memory if it was stored moments ago
   * (RecentChunks), else from storage; otherwise from its download (started or joined). `signal`
   * withdraws this reader's wait.
   */
  async readChunk(index: number, signal?: AbortSignal): Promise<Uint8Array | Blob> {
    if (this.closed) throw new DOMException('session closed', 'AbortError');
    if (this.isStored(index)) {
      // The same bytes, still in memory: no trip through storage. Only for a chunk the cache
      // holds, so a media deleted or evicted meanwhile is downloaded and stored anew.
      const recent = this.downloads.recentBytes(index);
      if (recent) return recent;
      const blob = await this.cache.readChunk(this.key, index);
      if (blob !== undefined) return blob; // else evicted meanwhile: download again
    }
    return this.downloads.download(index, signal);
  }

  /** Make sure chunk `index` is stored (or was downloaded), waiting for its download if needed. */
  async ensureChunk(index: number, signal?: AbortSignal): Promise<void> {
    if (this.isStored(index)) return;
    if (this.closed) throw new DOMException('session closed', 'AbortError');
    // Nobody reads these bytes: the download may read them natively (chooseChunkBody).
    await this.downloads.download(index, signal, false);
  }

  /** Register a reader starting at chunk `index` (see `MediaDownloads.openReader`). */
  openReader(index: number): ReaderCursor {
    return this.downloads.openReader(index);
  }

  /** Drop prefetches outside every reader's window (see `MediaDownloads.retainWindows`). */
  retainWindows(abortRunning = true): void {
    this.downloads.retainWindows(abortRunning);
  }

  /** The port a response reads this media through (`serve/ChunkSource`). */
  readonly reads: ChunkSource = new ParallelMediaReads(this);

  /** Abort every download and end every reader: the last session on this media closed. */
  close(): void {
    this.closed = true;
    this.downloads.abortAll(new DOMException('session closed', 'AbortError'));
    this.cache.reportActivity(this.key, this, null);
    this.counters.changed();
  }

  /** Where each chunk stands now (stats' `activity`). */
  chunkActivity(): ChunkActivity {
    const current = this.cache.getMedia(this.key)?.version === this.version;
    return {
      stored: current ? (this.cache.entry(this.key)?.storedChunkRanges ?? []) : [],
      ...this.downloads.chunkActivity(),
    };
  }

  chunkStates(): {
    stored: number;
    inFlight: number;
    peakInFlight: number;
    queued: number;
    failed: number[];
  } {
    const c = this.downloads.counts();
    const stored =
      this.cache.getMedia(this.key)?.version === this.version
        ? this.cache.storedChunks(this.key)
        : 0;
    return {
      stored,
      inFlight: c.running,
      peakInFlight: c.peakRunning,
      queued: c.queued,
      failed: [...this.counters.failed],
    };
  }

  /**
   * Cache again after the media was deleted from the cache while this media lived (`cache.delete`
   * or `clear` during playback): describe the same content anew, so the next writes are stored
   * under the new version. Writes still in flight for the old version are refused.
   */
  async recache(): Promise<void> {
    if (this.stale || this.closed || this.cache.getMedia(this.key) !== undefined) return;
    const { meta } = await this.cache.describeMedia({
      key: this.key,
      url: this.upstream.url,
      size: this.info.size,
      contentType: this.info.contentType,
      etag: this.info.etag,
      lastModified: this.info.lastModified,
      chunkSize: this.settings.chunkSize,
      validation: this.info.validation,
    });
    this.version = meta.version;
    this.changed();
  }

  /**
   * The upstream no longer serves what was probed (a chunk's validators, a 416, or a direct read
   * said so): stop every download, drop the stored chunks, and let the next request re-probe.
   * The cache's new version for the new content refuses any late write of the old one.
   */
  contentChanged(): void {
    // Closed, it was replaced or nobody reads it: the next open probes anyway, and the key may
    // already hold a newer media's chunks.
    if (this.stale || this.closed) return;
    this.stale = true;
    this.downloads.abortAll(new DOMException('content changed', 'AbortError'));
    this.cache.reportActivity(this.key, this, null);
    // Only this content's chunks: a newer version under the key is not this media's to drop.
    this.cache.delete(this.key, this.version).catch(() => undefined);
    this.counters.changed();
  }

  /** Tell the cache what must not be evicted now, and the stats that something changed. */
  private changed(): void {
    if (!this.closed && !this.stale) {
      this.cache.reportActivity(this.key, this, this.downloads.activity());
    }
    this.counters.changed();
  }
}
