import type { Mode, Validation } from '../../shared/protocol.ts';
import { ChunkBitmap } from '../cache/ChunkBitmap.ts';
import { chunkBounds, chunkCount } from '../cache/chunkMath.ts';
import type { MediaCache } from '../cache/MediaCache.ts';
import { ChunkFetchError } from '../upstream/ChunkFetchError.ts';
import type { EarlyRange } from '../upstream/EarlyRange.ts';
import { fetchChunk } from '../upstream/fetchChunk.ts';
import type { Upstream, UpstreamInfo } from '../upstream/UpstreamInfo.ts';
import { backoff } from './backoff.ts';
import { ChunkScheduler } from './ChunkScheduler.ts';
import { isDroppedPrefetch } from './droppedPrefetch.ts';
import { MediaCounters } from './MediaCounters.ts';
import { PartialChunks } from './PartialChunks.ts';

export interface MediaSettings {
  chunkSize: number;
  concurrency: number;
  prefetch: number;
  /** Retries of a chunk after a transient failure (network, 5xx, truncated body). */
  maxRetries: number;
  /** First backoff delay in ms; doubles per retry. */
  retryDelayMs: number;
}

/** A reader's position, kept so prefetch windows follow readers and seeks drop stale work. */
export interface ReaderCursor {
  /** Chunk the reader reads now; starts the prefetch window after it. */
  moveTo(index: number): void;
  close(): void;
}

/**
 * The live state of one media inside the worker: how to reach it, which chunks are stored, the
 * scheduler of its downloads, its readers and its counters. Shared by every session (and tab)
 * with the same cache key, so each chunk is downloaded once. Rebuilt lazily after the worker
 * restarts: what is stored comes back from the `ChunkStore`.
 */
export class MediaRuntime {
  readonly counters = new MediaCounters();
  /** Bytes of chunks still downloading, for readers that can use them early. */
  readonly partials = new PartialChunks();
  /** Every download running now, including ones the scheduler dropped that finish anyway. */
  private readonly running = new Map<number, Promise<Uint8Array>>();
  private readonly scheduler: ChunkScheduler<Uint8Array>;
  private readonly readers = new Set<{ position: number }>();
  private bitmap: ChunkBitmap;
  /** True once the content was found changed: the next request re-opens (and re-probes). */
  stale = false;
  /** True once closed: its readers end instead of falling back to the upstream. */
  closed = false;
  /** Single mode because the upstream sends no CORS headers: only no-cors requests can use it. */
  opaque = false;

  constructor(
    readonly key: string,
    private readonly cache: MediaCache,
    /** The newest session's URL and headers (a signed URL expires; the cache key stays). */
    public upstream: Upstream,
    /** Null in single mode. */
    readonly info: UpstreamInfo | null,
    readonly settings: MediaSettings,
    readonly mode: Exclude<Mode, 'unknown'>,
    readonly reason: string | null,
    stored: Uint8Array | null,
    /** Size known in single mode (from Content-Length), else null. */
    private readonly singleSize: number | null = null,
    private readonly singleType: string | null = null,
    /** The upstream was unreachable when this runtime opened: fail fast on network errors. */
    private offline = false,
  ) {
    this.bitmap = stored ? ChunkBitmap.from(stored) : ChunkBitmap.empty(0);
    this.scheduler = new ChunkScheduler(
      (i, signal) => this.download(i, signal),
      settings.concurrency,
    );
    this.unwatch =
      mode === 'parallel'
        ? cache.watch(key, {
            readers: () => [...this.readers].map((r) => r.position),
            isProtected: (i) => this.inWindow(i) || this.scheduler.has(i) || this.running.has(i),
            removed: (i) => {
              this.bitmap = this.bitmap.without(i);
              this.counters.changed();
            },
            deleted: () => {
              this.bitmap = ChunkBitmap.empty(0);
              this.counters.changed();
            },
          })
        : () => undefined;
  }

  private readonly unwatch: () => void;

  get size(): number | null {
    return this.info?.size ?? this.singleSize;
  }

  get contentType(): string | null {
    return this.info?.contentType ?? this.singleType;
  }

  get validation(): Validation {
    return this.info?.validation ?? 'none';
  }

  get chunkSize(): number {
    return this.settings.chunkSize;
  }

  get chunkTotal(): number {
    return this.info ? chunkCount(this.info.size, this.settings.chunkSize) : 0;
  }

  /** The stored Blobs of chunks `from..to`, or null unless all of them are stored. */
  readStoredChunks(from: number, to: number): Promise<Blob[] | null> {
    // Null when one was evicted since the bitmap said stored: the streaming path then finds out
    // chunk by chunk (`readChunk`) and downloads what is missing.
    return this.cache.readChunks(this.key, from, to);
  }

  /** A request for chunk 0 sent together with the probe (see EarlyRange), until adopted. */
  private early: EarlyRange | null = null;

  /** Hand over an early request for chunk 0; it is used by the first download of that chunk. */
  offerEarly(early: EarlyRange): void {
    this.early = early;
  }

  private takeEarly(start: number, end: number): EarlyRange | undefined {
    const early = this.early;
    // Only if it asked for this very chunk (it may run past a file shorter than one chunk).
    if (!early || early.start !== start || early.end < end) return undefined;
    this.early = null;
    return early.adopt();
  }

  /** Whether a download of `index` is queued or running now. */
  isDownloading(index: number): boolean {
    return this.running.has(index) || this.scheduler.has(index);
  }

  isStored(index: number): boolean {
    return this.bitmap.has(index);
  }

  /**
   * The bytes of chunk `index`: from storage when stored, else from its download (started or
   * joined). `signal` withdraws this reader's wait.
   */
  async readChunk(index: number, signal?: AbortSignal): Promise<Uint8Array | Blob> {
    if (this.closed) throw new DOMException('session closed', 'AbortError');
    if (this.bitmap.has(index)) {
      const blob = await this.cache.readChunk(this.key, index);
      if (blob !== undefined) return blob;
      this.bitmap = this.bitmap.without(index); // evicted or deleted meanwhile: download again
    }
    const orphan = this.orphanDownload(index);
    if (orphan) {
      try {
        return await orphan;
      } catch {
        // It was aborted after all: download it anew below.
      }
    }
    return this.scheduler.waitForChunk(index, signal);
  }

  /**
   * A download of `index` still running though the scheduler dropped it: a prefetch dropped
   * when more than half in is finished and stored (see droppedPrefetch.ts). Joining it instead of
   * starting a second download keeps "each chunk fetched once" true.
   */
  private orphanDownload(index: number): Promise<Uint8Array> | undefined {
    return this.scheduler.has(index) ? undefined : this.running.get(index);
  }

  /** Make sure chunk `index` is stored (or was downloaded), waiting for its download if needed. */
  async ensureChunk(index: number, signal?: AbortSignal): Promise<void> {
    if (this.bitmap.has(index)) return;
    await this.readChunk(index, signal);
  }

  /**
   * Register a reader starting at chunk `index`. Its prefetch window starts with its first
   * `moveTo`, which the reader calls after it asked for the chunk it needs, so that required
   * chunk is first in the scheduler's line.
   */
  openReader(index: number): ReaderCursor {
    const reader = { position: index };
    this.readers.add(reader);
    // A new reader far from the others is a seek: drop prefetches outside every window.
    this.retainWindows();
    this.counters.changed();
    return {
      moveTo: (i) => {
        reader.position = i;
        this.prefetchAfter(i);
      },
      close: () => {
        if (!this.readers.delete(reader)) return;
        // The last reader leaving keeps its prefetches (a pause, or the element about to reopen
        // a range nearby); a seek is only recognised when the new reader arrives.
        // Only queued ones go: a running download is likely wanted again soon (a media element
        // jumping to the tail and back to the start, moov-at-end) and aborting it wastes it.
        if (this.readers.size > 0) this.retainWindows(false);
        this.counters.changed();
      },
    };
  }

  get readerCount(): number {
    return this.readers.size;
  }

  /** Abort every download and end every reader: the last session on this media closed. */
  close(): void {
    this.closed = true;
    this.unwatch();
    this.scheduler.abortAll(new DOMException('session closed', 'AbortError'));
    this.counters.changed();
  }

  chunkStates(): {
    stored: number;
    inFlight: number;
    peakInFlight: number;
    queued: number;
    failed: number[];
  } {
    const c = this.scheduler.counts();
    return {
      stored: this.bitmap.count,
      inFlight: c.running,
      peakInFlight: c.peakRunning,
      queued: c.queued,
      failed: [...this.counters.failed],
    };
  }

  private prefetchAfter(index: number): void {
    if (this.info === null) return;
    const last = Math.min(index + this.settings.prefetch, this.chunkTotal - 1);
    for (let j = index + 1; j <= last; j++) {
      if (!this.bitmap.has(j) && !this.scheduler.has(j) && !this.running.has(j)) {
        this.scheduler.startPrefetch(j);
      }
    }
    this.counters.changed();
  }

  /** Whether chunk `index` is in some active reader's window (its chunk and prefetch ahead). */
  private inWindow(index: number): boolean {
    for (const r of this.readers) {
      if (index >= r.position && index <= r.position + this.settings.prefetch) return true;
    }
    return false;
  }

  /**
   * Drop prefetches outside every reader's window: queued ones always, running ones too unless
   * `abortRunning` is false (a seek, or a cancelled download for offline, aborts them).
   */
  retainWindows(abortRunning = true): void {
    this.scheduler.retainPrefetches((i) => this.inWindow(i), abortRunning);
  }

  /** One chunk: fetch and validate with bounded retries, then store. Runs under the scheduler. */
  private async download(index: number, signal: AbortSignal): Promise<Uint8Array> {
    if (index !== 0 && this.early) {
      // The first download is not chunk 0 (a reader started elsewhere): the early request
      // would only hold a connection beyond the concurrency cap.
      this.early.abort(new DOMException('early range not needed', 'AbortError'));
      this.early = null;
    }
    const work = this.fetchAndStore(index, signal);
    this.running.set(index, work);
    try {
      return await work;
    } finally {
      if (this.running.get(index) === work) this.running.delete(index);
      // Until here readers could take bytes from the partial buffer (also while it was stored).
      this.partials.end(index);
    }
  }

  private async fetchAndStore(index: number, signal: AbortSignal): Promise<Uint8Array> {
    const info = this.info;
    if (info === null) throw new Error('chunk download in single mode');
    const { start, end } = chunkBounds(index, info.size, this.settings.chunkSize);
    let bytes: Uint8Array;
    for (let attempt = 0; ; attempt++) {
      try {
        // Readers may send on bytes of a chunk still arriving, once its headers proved it the
        // right one: only with strong validation (exact Content-Range and validators).
        const progress =
          info.validation === 'strong'
            ? (received: number, buffer: Uint8Array) =>
                this.partials.progress(index, buffer, received)
            : undefined;
        const early = attempt === 0 ? this.takeEarly(start, end) : undefined;
        bytes = await fetchChunk(this.upstream, info, start, end, signal, progress, early);
        break;
      } catch (error) {
        if (!(error instanceof ChunkFetchError)) throw error;
        if (error.failure === 'aborted') {
          if (isDroppedPrefetch(signal.reason)) this.counters.dropped.add(index);
          throw error;
        }

        const fastFail = this.offline && error.failure === 'network';
        if (error.transient && !fastFail && attempt < this.settings.maxRetries) {
          this.counters.retries++;
          await backoff(this.settings.retryDelayMs, attempt, signal);
          continue;
        }
        this.counters.fail(index, `chunk ${index}: ${error.message}`);
        if (error.failure === 'changed') this.contentChanged();
        throw error;
      }
    }
    this.offline = false;
    this.counters.received(index, bytes.byteLength);
    try {
      const blob = new Blob([bytes as Uint8Array<ArrayBuffer>]);
      const outcome = await this.cache.writeChunk(this.key, index, blob);
      if (outcome === 'stored') this.bitmap = this.bitmap.with(index);
      else if (outcome === 'no-room') this.counters.uncached++;
    } catch {
      // Storage full or failing: the bytes are valid, so the readers still get them from memory.
      this.counters.storageFailures++;
    }
    this.counters.changed();
    return bytes;
  }

  /** The upstream no longer serves what was probed: drop the chunks, re-probe on next use. */
  contentChanged(): void {
    if (this.stale) return;
    this.stale = true;
    this.scheduler.abortAll(new DOMException('content changed', 'AbortError'));
    this.bitmap = ChunkBitmap.empty(0);
    this.unwatch();
    // Never serve the old bytes again: the next request re-probes and starts from scratch.
    this.cache.delete(this.key).catch(() => undefined);
  }
}
