/**
 * How long an upstream may keep a request waiting. Without deadlines a hung upstream held a
 * reader, a chunk and a concurrency slot forever (a prefetch included). A timeout is a transient
 * failure: the request is aborted on the wire, a chunk is retried (`ChunkDownloader`), a direct
 * read answers 504 `upstream-timeout`.
 */
export interface UpstreamTimeouts {
  /** From sending a request until its response headers arrive. */
  headerTimeoutMs: number;
  /**
   * Longest wait for the next bytes of a body being read. Only a pending read counts: a body
   * nobody reads (back-pressure, a paused player) never times out. A chunk body read natively
   * (`readBodyNatively`, which sees no progress) must be complete within it as a whole.
   */
  stallTimeoutMs: number;
}

/** Used for an `Upstream` that carries none (the proxy's `DEFAULTS` start from these). */
export const DEFAULT_TIMEOUTS: UpstreamTimeouts = {
  headerTimeoutMs: 15_000,
  stallTimeoutMs: 20_000,
};

/**
 * The error a deadline fails with: a `TimeoutError` DOMException, what `fetch` itself rejects
 * with for `AbortSignal.timeout()`, so it is told apart from an abort (`AbortError`, its reason
 * chosen by the caller) and from a network error (`TypeError`).
 */
export function timeoutError(message: string): DOMException {
  return new DOMException(message, 'TimeoutError');
}

/**
 * `work`, unless `ms` pass first: then a `timeoutError(message)`. Only the wait is bounded; the
 * caller stops whatever `work` was (it aborts the request).
 */
export function within<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(message)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export function isTimeout(error: unknown): error is DOMException {
  return error instanceof DOMException && error.name === 'TimeoutError';
}
