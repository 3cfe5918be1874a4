/**
 * Every failure the proxy can answer a request with, by code. Errors travel as `ProxyError`
 * through the worker and become HTTP responses in one place (`errorResponse`).
 */
export type ProxyErrorCode =
  | 'session-not-found'
  | 'bad-request'
  | 'upstream-status'
  | 'upstream-unreachable'
  | 'upstream-invalid'
  | 'offline-missing'
  | 'content-changed'
  | 'over-budget';

export interface ProxyErrorDetails {
  /** The upstream's status for `upstream-status`. */
  status?: number;
  /** Byte range a reader needed and could not get, for `offline-missing`. */
  missing?: { start: number; end: number };
  [key: string]: unknown;
}

const MESSAGES: Record<ProxyErrorCode, string> = {
  'session-not-found': 'No session with this id: create one with proxy.createSession(url) first.',
  'bad-request': 'The request to the proxy was malformed.',
  'upstream-status': 'The upstream answered with an error status.',
  'upstream-unreachable':
    'The upstream could not be reached (network error, DNS, CORS or offline).',
  'upstream-invalid': 'The upstream sent a response that failed validation.',
  'offline-missing': 'The upstream is unreachable and the cache does not hold the requested bytes.',
  'content-changed': 'The upstream content changed while it was being read.',
  'over-budget': 'The cache budget cannot hold this.',
};

const STATUS: Record<ProxyErrorCode, number> = {
  'session-not-found': 404,
  'bad-request': 400,
  'upstream-status': 502,
  'upstream-unreachable': 502,
  'upstream-invalid': 502,
  'offline-missing': 504,
  'content-changed': 502,
  'over-budget': 507,
};

export class ProxyError extends Error {
  override readonly name = 'ProxyError';

  constructor(
    readonly code: ProxyErrorCode,
    readonly details: ProxyErrorDetails = {},
    detail?: string,
  ) {
    super(detail ? `${MESSAGES[code]} ${detail}` : MESSAGES[code]);
  }

  /** The HTTP status this error is answered with. */
  get httpStatus(): number {
    if (this.code === 'upstream-status') {
      // A client error of the upstream (404, 403, 410…) is the answer for our client too; a
      // server error of the upstream is a bad gateway from the client's point of view.
      const s = this.details.status ?? 502;
      return s >= 400 && s < 500 ? s : 502;
    }
    return STATUS[this.code];
  }
}
