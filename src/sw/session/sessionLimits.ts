/**
 * The bounds of what a page may ask for. A page is code we do not control (any page of the
 * origin can message the worker), so every number and string it sends is checked against these
 * before it is used or stored; a value outside answers `bad-request` naming the field and its
 * range. The worker's own `installStreamProxy` options are configuration, not input: they are
 * not held to these (tests use 1000-byte chunks).
 */
export const SESSION_LIMITS = {
  /**
   * Bytes per chunk. Below 64 KiB the per-chunk cost (one request, one stored record) dominates;
   * above 64 MiB one chunk is held in memory whole while it downloads.
   */
  chunkSize: { min: 64 * 1024, max: 64 * 1024 * 1024 },
  /** Chunk downloads at once for one media (browsers open at most 6 HTTP/1.1 connections). */
  concurrency: { min: 1, max: 16 },
  /** Chunks ahead of a reader: 256 of the largest chunks is already 16 GiB. */
  prefetch: { min: 0, max: 256 },
  /** Upstream request headers per session. */
  headerCount: { min: 0, max: 64 },
  /**
   * Sum of the headers' name and value lengths: 16 KiB, the smallest request-header limit of
   * common servers and CDNs (nginx's default `large_client_header_buffers` is 8 KiB per line).
   */
  headerBytes: { min: 0, max: 16 * 1024 },
  /** Characters of a page-given cache key. */
  cacheKey: { min: 1, max: 2048 },
  /** Characters of an upstream URL (8 KiB: what common servers accept in a request line). */
  url: { min: 1, max: 8192 },
  /** The cache budget in bytes (`cache.setBudget`). */
  budget: { min: 0, max: Number.MAX_SAFE_INTEGER },
  /** Characters of a session id, a job id, or a cache key named in a message. */
  id: { min: 1, max: 256 },
} as const;

/** The upstream URL schemes a session may use. */
export const UPSTREAM_SCHEMES: readonly string[] = ['http:', 'https:'];
