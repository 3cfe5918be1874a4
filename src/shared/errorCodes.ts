/**
 * Every error code a page can meet, as one union per origin. Types only.
 */

/** A failure the worker answers with, as a response's `code` and a rejected call's `code`. */
export type ProxyErrorCode =
  | 'session-not-found'
  | 'session-credentials-lost'
  | 'bad-request'
  | 'upstream-status'
  | 'upstream-unreachable'
  | 'upstream-invalid'
  | 'upstream-timeout'
  | 'offline-missing'
  | 'content-changed'
  | 'cache-key-conflict'
  | 'over-budget';

/** A failure the page's client finds itself, with no answer from the worker. */
export type ClientErrorCode =
  /** No service workers here (insecure origin, some private modes). */
  | 'unsupported'
  /** No worker controls the page (after a hard reload), or none is active. */
  | 'uncontrolled'
  /** The worker did not answer within `callTimeoutMs` (stopped or crashed mid-request). */
  | 'worker-timeout'
  /** The worker's answer could not be deserialized. */
  | 'message-error'
  /** The client was closed (`client.close()`) before the call. */
  | 'closed';

/**
 * A platform error that reached the worker (`QuotaExceededError`, `AbortError`,
 * `DataCloneError`, `TypeError`…), passed on by its name: never the legacy numeric
 * `DOMException.code`.
 */
export type PlatformErrorName = `${string}Error`;

/** What `StreamProxyError.code` can be: `internal` is a thrown value that was not an error. */
export type ErrorCode = ProxyErrorCode | ClientErrorCode | PlatformErrorName | 'internal';
