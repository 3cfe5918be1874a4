import type { ErrorCode } from '../shared/errorCodes.ts';
import type { ReplyError } from '../shared/methods.ts';

/**
 * Raised when a call fails. `code` says why, as a typed union (`ErrorCode`): the worker's code
 * (`bad-request`, `session-not-found`, `session-credentials-lost`, `over-budget`…), a platform
 * error's name (`QuotaExceededError`, `AbortError`…), or the client's own (`unsupported`,
 * `uncontrolled`, `worker-timeout`, `message-error`, `closed`).
 */
export class StreamProxyError extends Error {
  override readonly name = 'StreamProxyError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The worker's details, e.g. `{ field: 'chunkSize', min: 65536, max: 67108864 }`. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * The error a failed reply describes. Its code is a string: a worker of an older version sent
 * `DOMException.code` (a legacy number, 22 for a quota error) where the name was meant.
 */
export function replyError(error: ReplyError): StreamProxyError {
  const legacy = error as { code: unknown; name?: unknown };
  const code =
    typeof legacy.code === 'string' && legacy.code !== ''
      ? (legacy.code as ErrorCode)
      : typeof legacy.name === 'string' && legacy.name.endsWith('Error')
        ? (legacy.name as ErrorCode)
        : 'internal';
  return new StreamProxyError(code, String(error.message), error.details);
}
