import type { DownloadTarget } from '../shared/methods.ts';
import type {
  CacheEntry,
  CacheUsage,
  DownloadOptions,
  DownloadProgress,
  SessionInfo,
  SessionOptions,
  SessionStats,
  StoreRepair,
} from '../shared/types.ts';

export interface RegisterOptions {
  /** URL of the worker script, resolved against the page (default `/sw.js`). */
  scriptUrl?: string;
  /** Registration scope (default: the browser's, the script's directory). */
  scope?: string;
  /**
   * How long to wait for the worker to control the page before rejecting with `uncontrolled`
   * (default 10 000 ms; 1 to 2³¹ − 1).
   */
  controlTimeoutMs?: number;
  /**
   * How long a call waits for the worker's answer before rejecting with `worker-timeout`
   * (default 30 000 ms; 1 to 2³¹ − 1): a worker stopped or crashed mid-call never answers.
   */
  callTimeoutMs?: number;
  /**
   * Ask for full URLs, query strings included, in stats, `cache.list()` and error messages
   * (default false: signed URLs are reported without their query strings). Sessions this
   * client creates then broadcast their stats with full URLs too.
   */
  revealUrls?: boolean;
}

/** The page side of the proxy. Every method talks to the controlling worker. */
export interface StreamProxyClient {
  /** Create a session on `url`; point a `<video src>` at the returned `url`. */
  createSession(url: string, options?: SessionOptions): Promise<SessionInfo>;
  /** Abort the session's downloads and forget it; its cached chunks stay. */
  closeSession(id: string): Promise<void>;
  /** The session's stats now. */
  stats(id: string): Promise<SessionStats>;
  /**
   * Stats pushed by the worker as they change (at most a few per second per media), for every
   * session of the origin (other tabs' too): filter on `stats.id`.
   */
  onStats(listener: (stats: SessionStats) => void): () => void;
  /**
   * Ping the worker every 20 s while `media` plays: Firefox kills script-generated streams of an
   * idle-looking worker after ~30 s. Returns a function that stops it.
   */
  keepAlive(media: HTMLMediaElement): () => void;
  /**
   * Download every missing chunk of a media for offline use (same scheduler and concurrency as
   * playback) and pin it so LRU never evicts it: `{ url }` (a relative URL is resolved against
   * the page) with `options` as for a session, or `{ sessionId }` for an existing session's
   * media. Rejects with code `over-budget` (nothing evicted) when the pinned media would exceed
   * the budget.
   */
  download(target: DownloadTarget, options?: DownloadOptions): Promise<DownloadHandle>;
  /** Let LRU evict `key` again. */
  unpin(key: string): Promise<void>;
  /** Whether the worker answers (and, after a hard reload, asks it to control this page). */
  ping(): Promise<'pong'>;
  readonly cache: CacheApi;
  readonly registration: ServiceWorkerRegistration;
  /**
   * Close the client's channels and stop its keep-alives; later calls reject with `closed`, and
   * so do the `finished` promises of downloads still running.
   */
  close(): void;
}

/** A running download for offline. */
export interface DownloadHandle {
  jobId: string;
  key: string;
  /** Progress as it was when the download started. */
  initial: DownloadProgress;
  /** Called with every progress event of this download (bytes, chunks, rate, ETA, state). */
  onProgress(listener: (progress: DownloadProgress) => void): () => void;
  /**
   * Resolves with the last progress event once the download is done, cancelled or failed (see
   * its `state` and `error`); rejects with `closed` if the client is closed first.
   */
  finished: Promise<DownloadProgress>;
  /** Stop the download (the chunks stored so far stay, pinned). */
  cancel(): Promise<void>;
}

/** Cache management. */
export interface CacheApi {
  /** Every media in LRU order (the first loses chunks first). */
  list(): Promise<CacheEntry[]>;
  usage(): Promise<CacheUsage>;
  /** Remove a media's chunks; a playback of it goes on without caching. */
  delete(key: string): Promise<boolean>;
  clear(): Promise<void>;
  /** Recount stored chunks against the index and repair drift. */
  verify(): Promise<StoreRepair>;
  /** Set (and persist) this installation's budget in bytes; evicts down to it. */
  setBudget(bytes: number): Promise<CacheUsage>;
}
