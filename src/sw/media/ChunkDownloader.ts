import { chunkBounds } from '../cache/chunkMath.ts';
import type { MediaCache } from '../cache/MediaCache.ts';
import { ChunkFetchError } from '../upstream/ChunkFetchError.ts';
import type { EarlyRange } from '../upstream/EarlyRange.ts';
import { fetchChunk, fetchChunkNative } from '../upstream/fetchChunk.ts';
import type { Upstream, UpstreamInfo } from '../upstream/UpstreamInfo.ts';
import { DEFAULT_TIMEOUTS } from '../upstream/UpstreamTimeouts.ts';
import { backoff } from './backoff.ts';
import { ConnectionSpeed } from './ConnectionSpeed.ts';
import { chooseChunkBody } from './chooseChunkBody.ts';
import { isDroppedPrefetch } from './droppedPrefetch.ts';
import type { MediaCounters } from './MediaCounters.ts';
import type { PartialChunks } from './PartialChunks.ts';

/** Retry policy of chunk downloads. */
export interface RetryPolicy {
  /** Retries of a chunk after a transient failure (network, 5xx, truncated body, timeout). */
  maxRetries: number;
  /** First backoff delay in ms; doubles per retry. */
  retryDelayMs: number;
}

/**
 * A downloaded chunk: its bytes in memory (read through JavaScript, readers were sent them as
 * they came), or a Blob the browser read natively (see `chooseChunkBody`).
 */
export type ChunkData = Uint8Array | Blob;

/** Length in bytes of a downloaded chunk. */
export function chunkDataSize(data: ChunkData): number {
  return data instanceof Blob ? data.size : data.byteLength;
}

/** What a downloader works for: one version of one media. */
export interface DownloadTarget {
  key: string;
  /** The content version writes are stored under (it changes when the media is re-cached). */
  version(): number;
  info: UpstreamInfo;
  chunkSize: number;
  /** The newest session's upstream (a signed URL expires; the cache key stays). */
  upstream(): Upstream;
  /** How fast `upstream`'s connections brought their last chunks (shared per origin). */
  speedOf(upstream: Upstream): ConnectionSpeed;
}

/**
 * Downloads chunks of one media version: one validated fetch with bounded retries and backoff,
 * the early chunk-0 request adopted when it matches, bytes exposed to readers while they arrive
 * (`PartialChunks`), then written to the cache. A chunk no reader waits on, from an upstream
 * measured fast, is read natively instead and stored as the Blob the browser made
 * (`chooseChunkBody`). Keeps the downloads running now, including ones the scheduler dropped
 * that finish anyway (a prefetch more than half in, or read natively within its grace,
 * droppedPrefetch.ts). `run` is the scheduler's work function.
 */
export class ChunkDownloader {
  private readonly running = new Map<number, Promise<ChunkData>>();
  /** A request for chunk 0 sent together with the probe (see EarlyRange), until adopted. */
  private early: EarlyRange | null = null;
  /** Ends every download for good, dropped ones finishing on their own included (see `stop`). */
  private readonly stopper = new AbortController();
  /**
   * This media's own recent downloads, per origin record (an upstream moved to another origin
   * starts over): where they were slower than the origin's record, which the origin's other
   * files share, they decide (`chooseChunkBody`).
   */
  private readonly ownSpeeds = new WeakMap<ConnectionSpeed, ConnectionSpeed>();

  constructor(
    private readonly target: DownloadTarget,
    private readonly cache: MediaCache,
    private readonly counters: MediaCounters,
    private readonly partials: PartialChunks,
    private readonly retry: RetryPolicy,
    /** The content changed under us (found by a chunk's validators): the one place to react. */
    private readonly onContentChanged: () => void,
    /** The upstream was unreachable when the media opened: fail fast on network errors. */
    private offline = false,
    /**
     * A chunk's download ended for good (its busy mark can go): with its final bytes (validated,
     * their write settled, stored or not), or null when it failed or was aborted.
     */
    private readonly onSettled: (index: number, bytes: ChunkData | null) => void = () => undefined,
    /** Whether a reader waits on chunk `index` now (its bytes are then read as they arrive). */
    private readonly readerWaiting: (index: number) => boolean = () => true,
  ) {}

  /** Hand over an early request for chunk 0; the first download of that chunk uses it. */
  offerEarly(early: EarlyRange): void {
    this.early = early;
  }

  /**
   * Stop every download now and for good (the media closed or its content changed): also the
   * dropped prefetches that were finishing on their own, whose scheduler signal is already spent.
   */
  stop(reason: unknown): void {
    this.stopper.abort(reason);
    this.early?.abort(reason);
    this.early = null;
  }

  isRunning(index: number): boolean {
    return this.running.has(index);
  }

  /** Indexes of the downloads running now (including dropped ones that finish anyway). */
  runningIndexes(): number[] {
    return [...this.running.keys()];
  }

  /** A download of `index` still running, if any. */
  runningDownload(index: number): Promise<ChunkData> | undefined {
    return this.running.get(index);
  }

  /**
   * One chunk: fetch and validate with bounded retries, then store. Resolves as soon as the bytes
   * are in — the scheduler's slot is free for the next chunk while this one is being written, so
   * the network never waits on storage — and the download stays joinable (`runningDownload`,
   * which resolves once stored) until the write ends.
   */
  run(index: number, signal: AbortSignal): Promise<ChunkData> {
    if (index !== 0 && this.early) {
      // The first download is not chunk 0 (a reader started elsewhere): the early request
      // would only hold a connection beyond the concurrency cap.
      this.early.abort(new DOMException('early range not needed', 'AbortError'));
      this.early = null;
    }
    let bytesIn!: (bytes: ChunkData) => void;
    const fetched = new Promise<ChunkData>((resolve) => {
      bytesIn = resolve;
    });
    const work = (async () => {
      const bytes = await this.fetchValidated(index, signal);
      bytesIn(bytes);
      await this.store(index, bytes);
      this.counters.changed();
      return bytes;
    })();
    this.running.set(index, work);
    const settle = (bytes: ChunkData | null) => {
      if (this.running.get(index) === work) this.running.delete(index);
      // Until here readers could take bytes from the partial buffer (also while it was stored).
      this.partials.end(index);
      this.onSettled(index, bytes);
    };
    work.then(settle, () => settle(null));
    return Promise.race([fetched, work]);
  }

  private ownSpeed(origin: ConnectionSpeed): ConnectionSpeed {
    let own = this.ownSpeeds.get(origin);
    if (!own) {
      own = new ConnectionSpeed();
      this.ownSpeeds.set(origin, own);
    }
    return own;
  }

  private takeEarly(start: number, end: number): EarlyRange | undefined {
    // Unused for too long, it was aborted (EarlyRange's timeout): adopting it would only fail
    // the attempt with a network error and cost a retry (or, with no retries left, the chunk).
    if (this.early?.aborted) this.early = null;
    const early = this.early;
    // Only if it asked for this very chunk (it may run past a file shorter than one chunk).
    if (!early || early.start !== start || early.end < end) return undefined;
    this.early = null;
    return early.adopt();
  }

  private async fetchValidated(index: number, signal: AbortSignal): Promise<ChunkData> {
    const { info, chunkSize } = this.target;
    const { start, end } = chunkBounds(index, info.size, chunkSize);
    const length = end - start + 1;
    let bytes: ChunkData;
    /**
     * 1 once a native attempt failed and was tried again: that retry does not count against
     * `maxRetries`, and every later attempt reads through JavaScript (a stall shows there).
     */
    let nativeRetries = 0;
    for (let attempt = 0; ; attempt++) {
      const upstream = this.target.upstream();
      const speed = this.target.speedOf(upstream);
      const own = this.ownSpeed(speed);
      const { stallTimeoutMs } = upstream.timeouts ?? DEFAULT_TIMEOUTS;
      const body =
        nativeRetries > 0
          ? 'bytes'
          : chooseChunkBody({
              readerWaiting: this.readerWaiting(index),
              expectedMs: speed.expectedMs(length),
              mediaExpectedMs: own.expectedMs(length, 1),
              stallTimeoutMs,
            });
      const sent = performance.now();
      try {
        // Readers may send on bytes of a chunk still arriving, once its headers proved it the
        // right one: only with strong validation (exact Content-Range and validators).
        const progress =
          info.validation === 'strong'
            ? (received: number, buffer: Uint8Array) =>
                this.partials.progress(index, buffer, received)
            : undefined;
        const early = attempt === 0 ? this.takeEarly(start, end) : undefined;
        const options = {
          onProgress: progress,
          early,
          stop: this.stopper.signal,
          // Validated all the same; counted because session headers went along (README
          // "Redirects").
          onRedirect: () => {
            this.counters.redirects++;
          },
        };
        bytes =
          body === 'native'
            ? await fetchChunkNative(upstream, info, start, end, signal, options)
            : await fetchChunk(upstream, info, start, end, signal, options);
        // Only a whole chunk this attempt asked for measures a connection: a short one (the
        // media's last) is mostly round trip, and the early request's bytes may have waited
        // while the media opened, so its time from adoption would look instant.
        if (!options.early && length === chunkSize) {
          const took = performance.now() - sent;
          speed.record(length, took);
          own.record(length, took);
        }
        // (A body without Content-Length was read through JavaScript all the same.)
        if (bytes instanceof Blob) this.counters.nativeChunks++;
        break;
      } catch (error) {
        if (!(error instanceof ChunkFetchError)) throw error;
        // A failure tells nothing about speed (a 503 comes fast): the upstream is unmeasured
        // again, and the next chunks read through JavaScript until it was measured anew.
        if (body === 'native' && error.failure !== 'aborted') speed.forget();
        // A timeout does say something about this media: it took at least the stall timeout.
        // Its own record keeps it off native reads until its own downloads show it fast again,
        // whatever the origin's other files record meanwhile.
        if (error.failure === 'timeout') {
          own.record(length, Math.max(performance.now() - sent, stallTimeoutMs));
        }
        if (error.failure === 'aborted') {
          if (isDroppedPrefetch(signal.reason)) this.counters.dropped.add(index);
          throw error;
        }
        // Unreachable when the media opened: a network error or a timeout is more of the same.
        const fastFail =
          this.offline && (error.failure === 'network' || error.failure === 'timeout');
        // A native attempt that failed is tried once more through JavaScript, retries left or
        // not: the same body read piece by piece times out only if it stalls.
        // The backoff grows with the retries that count, as without a native attempt.
        const counted = attempt - nativeRetries;
        if (
          error.transient &&
          !fastFail &&
          (counted < this.retry.maxRetries || body === 'native')
        ) {
          if (body === 'native') nativeRetries++;
          this.counters.retries++;
          await backoff(this.retry.retryDelayMs, counted, signal);
          continue;
        }
        this.counters.fail(index, `chunk ${index}: ${error.message}`);
        if (error.failure === 'changed') this.onContentChanged();
        throw error;
      }
    }
    this.offline = false;
    this.counters.received(index, chunkDataSize(bytes));
    return bytes;
  }

  private async store(index: number, bytes: ChunkData): Promise<void> {
    try {
      // A natively read chunk is stored as the browser's own Blob: no copy.
      const blob = bytes instanceof Blob ? bytes : new Blob([bytes as Uint8Array<ArrayBuffer>]);
      const outcome = await this.cache.writeChunk(
        this.target.key,
        this.target.version(),
        index,
        blob,
      );
      if (outcome === 'no-room') this.counters.uncached++;
    } catch {
      // Storage full or failing: the bytes are valid, so the readers still get them from memory.
      this.counters.storageFailures++;
    }
  }
}
