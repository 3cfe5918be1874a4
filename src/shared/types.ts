/**
 * The data both sides of the proxy see: what pages pass in (options) and get back (sessions,
 * stats, cache entries, progress). Public types, no runtime code; the wire messages that carry
 * them are in `methods.ts`, the channel names in `channels.ts`.
 *
 * Vocabulary (used with exactly these words everywhere):
 * - **media**: one upstream resource, identified by its **cache key** (default: its URL).
 * - **chunk**: the fixed-size piece `i` of a media, bytes `[i * chunkSize, (i + 1) * chunkSize)`
 *   clipped to the media's size. Chunks are what we download, validate, store and evict.
 * - **session**: a page's handle on a media, served at `/stream/<id>`; it carries the upstream
 *   URL, request headers and download settings, and is persisted so it outlives the worker.
 * - **reader**: one response body being served for a session's range request.
 * - **required** chunk: a reader needs it now and waits for it; **prefetch** chunk: within the
 *   prefetch window ahead of a reader, downloaded without anybody waiting.
 * - **mode**: `parallel` (chunked download into the cache) or `single` (the client's range is
 *   forwarded to the upstream, nothing cached), with the reason for `single`.
 */

/** Which backend holds an installation's chunks. */
export type StoreKind = 'indexeddb' | 'opfs';

/**
 * How a backend keeps chunk bytes: IndexedDB Blob values (the default: the browser keeps them in
 * files and streams them natively), IndexedDB ArrayBuffer values (where the browser refuses Blob
 * values in IndexedDB: WebKit's ephemeral sessions, as Safari's Private Browsing), or OPFS files.
 */
export type StoredAs = 'blob' | 'arraybuffer' | 'file';

/**
 * Per-session options given by the page. A value out of its bounds is refused with
 * `bad-request` and `details: { field, min, max }`.
 */
export interface SessionOptions {
  /**
   * Headers sent with every upstream request (e.g. `Authorization`): at most 64, 16 KiB of
   * names and values together.
   */
  headers?: Record<string, string>;
  /**
   * Identifies the content (default: the URL; 1 to 2048 characters). Lets signed or expiring
   * URLs share one cache entry.
   */
  cacheKey?: string;
  /**
   * Chunk size in bytes for a media not yet cached; a cached media keeps its own (default: the
   * worker's, 1 MiB; 64 KiB to 64 MiB).
   */
  chunkSize?: number;
  /** Most chunk downloads running at once for this media (default: the worker's, 4; 1 to 16). */
  concurrency?: number;
  /**
   * Prefetch window: how many chunks ahead of each reader are downloaded without anybody
   * waiting (default: the worker's, 8; 0 to 256).
   */
  prefetch?: number;
  /**
   * Store `headers` with the session so it outlives a worker restart (default false: headers
   * live in the worker's memory only, and a session found in storage after a restart without
   * them answers `session-credentials-lost`, 401, so the page creates it again).
   */
  persistHeaders?: boolean;
}

/** A session as the page receives it (and, with `StoredSession`'s extra field, as it is stored). */
export interface SessionInfo {
  id: string;
  /** Where the page points its `<video src>`: `/stream/<id>` (relative to the worker scope). */
  url: string;
  upstreamUrl: string;
  cacheKey: string;
  headers: Record<string, string>;
  chunkSize: number;
  concurrency: number;
  prefetch: number;
  createdAt: number;
  /** When a request or message last used the session (it expires `sessionTtlMs` after). */
  lastUsedAt?: number;
  /** The page asked to store `headers` (see `SessionOptions.persistHeaders`). */
  persistHeaders?: boolean;
  /** Created with `revealUrls`: its stats broadcasts and error bodies keep query strings. */
  revealUrls?: boolean;
}

export type Mode = 'parallel' | 'single' | 'unknown';

/**
 * How far a stored chunk's bytes were checked against the upstream before they were stored
 * (README "Validation levels").
 */
export type Validation =
  /** Status 206, exact `Content-Range` and length, and the ETag/Last-Modified unchanged. */
  | 'strong'
  /**
   * The upstream hides `Content-Range`/`ETag` from CORS reads: status 206 and exact length only
   * (and Last-Modified unchanged when it sends one: it is CORS-safelisted).
   */
  | 'length-only'
  /**
   * No validator at all (neither ETag nor Last-Modified): status 206, exact `Content-Range` and
   * length, so a change of size is caught, but one that keeps the size is not. Also what stats
   * say of a media not in parallel mode.
   */
  | 'none';

export interface ChunkCounts {
  total: number;
  stored: number;
  inFlight: number;
  /** The most chunk downloads this media ever had running at once (the scheduler's record). */
  peakInFlight: number;
  queued: number;
  failed: number;
}

/** Where each chunk of a media stands now: what a chunk map draws. */
export interface ChunkActivity {
  /** The stored chunks as inclusive `[first, last]` runs, ascending. */
  stored: [number, number][];
  /** Chunks downloading now, ascending, with the bytes received so far (null when unknown). */
  downloading: { index: number; received: number | null }[];
  /** Chunks waiting for a download slot, ascending. */
  queued: number[];
  /** Each reader's chunk and the last chunk of its prefetch window. */
  readers: { position: number; windowEnd: number }[];
}

export interface SessionStats {
  id: string;
  cacheKey: string;
  mode: Mode;
  /** Why the session is in single mode (or why a request fell back to it); null in parallel. */
  reason: string | null;
  validation: Validation;
  /** Which backend holds this installation's chunks. */
  store: StoreKind;
  size: number | null;
  contentType: string | null;
  chunkSize: number;
  chunks: ChunkCounts;
  /** Index of every chunk that failed its last download attempt. */
  failedChunks: number[];
  /** Index of every chunk whose download was aborted after a seek (it may be fetched again). */
  droppedChunks: number[];
  /** Per-chunk detail (null unless the media is open in parallel mode). */
  activity: ChunkActivity | null;
  /** Chunks downloaded but not stored: the budget had no evictable room. */
  uncachedChunks: number;
  /**
   * Catch-up reads asked for: after a seek into a chunk whose download was far behind the
   * reader, the rest of that chunk was asked for with a ranged request of its own (not a chunk
   * download). Counted when sent, so the count matches the upstream's log of such requests,
   * including ones refused, cancelled or beaten by the chunk's download.
   */
  catchUpReads: number;
  /**
   * Chunk downloads whose body the browser read natively, from the upstream into the store
   * without passing through the worker's JavaScript: chunks no reader waited on (prefetches,
   * downloads for offline) from an upstream measured fast (README "How a range is read").
   */
  nativeChunks: number;

  /** Bytes received from the upstream for this media in this worker's life. */
  bytesDownloaded: number;
  /** Bytes per second over the last few seconds of downloading. */
  downloadRate: number;
  /** Bytes sent to readers from the cache (or from a just-finished download). */
  cacheHitBytes: number;
  /** Bytes sent to readers straight from an upstream request (single mode). */
  upstreamBytes: number;
  /** Chunk downloads retried after a transient failure. */
  retries: number;
  /**
   * Chunk answers that came through a redirect (validated like any other; the session's headers
   * other than `Authorization` went along to wherever it led, README "Redirects").
   */
  redirects: number;
  /** Requests served in single mode because parallel chunking failed for them. */
  fallbacks: number;
  /** Chunks that could not be written to storage and were served from memory. */
  storageFailures: number;
  readers: number;
  updatedAt: number;
}

/** One media in the cache, as `proxy.cache.list()` reports it. */
export interface CacheEntry {
  key: string;
  url: string;
  size: number;
  storedBytes: number;
  chunkSize: number;
  chunkCount: number;
  storedChunks: number;
  /** The stored chunks as inclusive index ranges `[first, last]`, ascending (what is playable). */
  storedChunkRanges: [number, number][];
  lastAccess: number;
  pinned: boolean;
}

export interface CacheUsage {
  /** Which backend holds the chunks: `indexeddb` or `opfs`. */
  store: StoreKind;
  /**
   * How it keeps chunk bytes: `blob` (IndexedDB Blob values), `arraybuffer` (IndexedDB values in
   * memory form, where the browser refuses Blobs in IndexedDB: WebKit's ephemeral sessions,
   * Safari's Private Browsing) or `file` (OPFS).
   */
  storedAs: StoredAs;
  storedBytes: number;
  /** Highest `storedBytes` seen in this worker's life (for checking the budget holds). */
  peakStoredBytes: number;
  /** The budget enforced: the configured one, lowered to what the browser grants. */
  budget: number;
  configuredBudget: number;
  browserQuota: number | null;
  browserUsage: number | null;
  /** `QuotaExceededError`s met while writing. */
  quotaErrors: number;
}

export interface StoreRepair {
  media: number;
  chunks: number;
  repaired: string[];
  orphanChunks: number;
}

/** Options of a download for offline: those of the session it opens. */
export type DownloadOptions = SessionOptions;

/** Progress of a download for offline, pushed on `DOWNLOAD_CHANNEL`. */
export interface DownloadProgress {
  jobId: string;
  key: string;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  storedBytes: number;
  totalBytes: number;
  storedChunks: number;
  totalChunks: number;
  /** Bytes per second over the last seconds. */
  rate: number;
  /** Seconds left at the current rate; null when unknown. */
  eta: number | null;
  error: string | null;
}
