/**
 * Every error code a page can meet, as one union per origin of the error.
 */

/** A failure the worker answers with, as a response's `code` and a rejected call's `code`. */
export type ProxyErrorCode =
  | 'session-not-found'
  | 'session-credentials-lost'
  | 'bad-request'
  | 'method-not-allowed'
  | 'precondition-failed'
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
  /** The client was closed (`client.close()`) before the call ended. */
  | 'closed'
  /** The browser refused to register the worker (bad script URL or scope, insecure context…). */
  | 'registration-failed'
  /** A client-side argument is wrong (a URL that does not parse, a timeout out of bounds). */
  | 'bad-argument';

/**
 * A platform error met while answering (storage full, an aborted request, a value that cannot
 * be cloned, an IndexedDB or file-system failure…), passed on by its name: never the legacy numeric `DOMException.code`. Any other
 * thrown value reaches the page as `internal`.
 */
export type PlatformErrorName =
  | 'QuotaExceededError'
  | 'AbortError'
  | 'TimeoutError'
  | 'NotAllowedError'
  | 'NotFoundError'
  | 'InvalidStateError'
  | 'DataCloneError'
  | 'SecurityError'
  | 'NetworkError'
  | 'UnknownError'
  | 'DataError'
  | 'ConstraintError'
  | 'VersionError'
  | 'TransactionInactiveError'
  | 'ReadOnlyError'
  | 'NotReadableError'
  | 'NoModificationAllowedError'
  | 'InvalidModificationError'
  | 'TypeMismatchError'
  | 'OperationError'
  | 'EncodingError'
  | 'TypeError';

/** Every `PlatformErrorName`, for code that must check a name at run time. */
export const PLATFORM_ERROR_NAMES: readonly PlatformErrorName[] = [
  'QuotaExceededError',
  'AbortError',
  'TimeoutError',
  'NotAllowedError',
  'NotFoundError',
  'InvalidStateError',
  'DataCloneError',
  'SecurityError',
  'NetworkError',
  'UnknownError',
  'DataError',
  'ConstraintError',
  'VersionError',
  'TransactionInactiveError',
  'ReadOnlyError',
  'NotReadableError',
  'NoModificationAllowedError',
  'InvalidModificationError',
  'TypeMismatchError',
  'OperationError',
  'EncodingError',
  'TypeError',
];

/** What `StreamProxyError.code` can be: `internal` is a thrown value that was not an error. */
export type ErrorCode = ProxyErrorCode | ClientErrorCode | PlatformErrorName | 'internal';
