import { DEFAULT_BUDGET } from './cache/resolveBudget.ts';
import { DEFAULT_SESSION_TTL_MS } from './session/SessionRegistry.ts';
import type { StoreChoice } from './store/openStorage.ts';
import type { UpstreamFetch } from './upstream/UpstreamFetch.ts';
import { DEFAULT_TIMEOUTS } from './upstream/UpstreamTimeouts.ts';

/**
 * Everything `installStreamProxy` / `createStreamProxy` / `streamProxyRoutes` can be told; every
 * field is optional. An integer outside its bounds (given with each field) throws `bad-request`
 * naming the field when the proxy is created.
 */
export interface StreamProxyOptions {
  /**
   * Where stream URLs live, resolved against the worker's scope (default `stream/`: a worker
   * whose scope is `/app/` serves `/app/stream/<id>`). Must end with `/` and not be the scope.
   */
  streamPrefix?: string;
  /**
   * This worker's origin (default `location.origin`): a session may not use one of its own
   * stream URLs as its upstream.
   */
  origin?: string;
  /** A session unused for this long is deleted (default 24 h since its last use; 1 s to 365 days). */
  sessionTtlMs?: number;
  /**
   * A media nobody reads or downloads is closed after this long (default 60 s; 0 to a day); the
   * next request opens it again with one probe.
   */
  mediaIdleMs?: number;
  /**
   * Chunk size in bytes for sessions that do not set their own (default 1 MiB; 1 byte to 64 MiB
   * here, 64 KiB to 64 MiB from a page).
   */
  chunkSize?: number;
  /** Chunk downloads at once per media, for sessions that do not set it (default 4; 1 to 16). */
  concurrency?: number;
  /** Chunks prefetched ahead of each reader, for sessions that do not set it (default 8; 0 to 256). */
  prefetch?: number;
  /** Retries of a chunk after a transient failure (default 3; 0 to 10). */
  maxRetries?: number;
  /** First retry delay in ms, doubling per retry (default 200; 0 to 60 000). */
  retryDelayMs?: number;
  /**
   * Longest wait in ms for an upstream's response headers, on every request (probe, chunk,
   * direct read); then it is aborted and counts as a transient failure (default 15 000; 1 to
   * 600 000).
   */
  headerTimeoutMs?: number;
  /**
   * Longest wait in ms for the next bytes of an upstream body being read; a chunk read natively
   * (no reader waits on it, README "How a range is read") must be complete within it (default
   * 20 000; 1 to 600 000).
   */
  stallTimeoutMs?: number;
  /**
   * Cache budget in bytes for this installation (default 2 GiB; never above what the browser
   * grants). A budget set from a page (`proxy.cache.setBudget`) is persisted and wins over this.
   */
  budget?: number;
  /**
   * Where chunks are stored: `indexeddb`, `opfs`, or `auto` (the default; today IndexedDB,
   * which measured faster here, README "Storage backends"). Sessions and settings always live
   * in IndexedDB.
   */
  store?: StoreChoice;
  /**
   * Treat 401/403 on the probe of a stored media as final (default false): an app that must
   * honour revoked access sets it. Otherwise a stored media stays playable whatever the probe
   * answers, short of a proven content change (README, "Offline policy").
   */
  authFailuresFinal?: boolean;
  /**
   * A media served from storage because its probe failed is probed again after this many ms
   * (default 30 000; 0 to a day).
   */
  revalidateAfterMs?: number;
  /**
   * How the worker reaches upstreams (default: the global `fetch`). Every upstream request goes
   * through it, so tests can answer them with a scripted upstream, and an app can add what all
   * its requests need.
   */
  fetch?: UpstreamFetch;
}

/** The defaults of `StreamProxyOptions` (picked from the project's benchmarks). */
export const DEFAULTS = {
  streamPrefix: '/stream/', // for a worker whose scope is `/` (see `streamPrefix`)
  chunkSize: 1024 * 1024,
  concurrency: 4,
  prefetch: 8,
  maxRetries: 3,
  retryDelayMs: 200,
  headerTimeoutMs: DEFAULT_TIMEOUTS.headerTimeoutMs, // 15 s
  stallTimeoutMs: DEFAULT_TIMEOUTS.stallTimeoutMs, // 20 s
  budget: DEFAULT_BUDGET,
  sessionTtlMs: DEFAULT_SESSION_TTL_MS,
  mediaIdleMs: 60_000,
} as const;
