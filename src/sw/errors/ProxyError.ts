import type { ProxyErrorCode } from '../../shared/errorCodes.ts';

export type { ProxyErrorCode };

export interface ProxyErrorDetails {
  /** The upstream's status for `upstream-status`. */
  status?: number;
  /** Byte range a reader needed and could not get, for `offline-missing`. */
  missing?: { start: number; end: number };
  [key: string]: unknown;
}

const MESSAGES: Record<ProxyErrorCode, string> = {
  'session-not-found': 'No session with this id: create one with proxy.createSession(url) first.',
  'session-credentials-lost':
    'The session outlived the worker but its upstream headers did not (they are kept in memory only unless created with persistHeaders: true): create the session again.',
  'bad-request': 'The request to the proxy was malformed.',
  'method-not-allowed': 'A stream URL answers GET and HEAD only.',
  'precondition-failed':
    "A precondition of the request (If-Match, If-Unmodified-Since) does not hold for the media's current validators.",
  'upstream-status': 'The upstream answered with an error status.',
  'upstream-unreachable':
    'The upstream could not be reached (network error, DNS, CORS or offline).',
  'upstream-invalid': 'The upstream sent a response that failed validation.',
  'upstream-timeout':
    'The upstream did not answer in time (no response headers, or a body that stopped sending).',
  'offline-missing': 'The upstream is unreachable and the cache does not hold the requested bytes.',
  'content-changed': 'The upstream content changed while it was being read.',
  'cache-key-conflict':
    "This session's URL serves other content than the media already cached under its cache key: give it its own cacheKey.",
  'over-budget': 'The cache budget cannot hold this.',
};

const STATUS: Record<ProxyErrorCode, number> = {
  'session-not-found': 404,
  // 401: the request lacks the credentials it needs; the page holds them and can create the
  // session again (RFC 9110 §15.5.2).
  'session-credentials-lost': 401,
  'bad-request': 400,
  // RFC 9110 §15.5.6, with the `Allow` header `errorResponse` adds.
  'method-not-allowed': 405,
  // RFC 9110 §15.5.13.
  'precondition-failed': 412,
  'upstream-status': 502,
  'upstream-unreachable': 502,
  'upstream-invalid': 502,
  // A gateway timeout (RFC 9110 §15.6.5): the upstream did not answer in time.
  'upstream-timeout': 504,
  'offline-missing': 504,
  'content-changed': 502,
  // 409: the request conflicts with what the cache holds under that key (RFC 9110 §15.5.10).
  'cache-key-conflict': 409,
  'over-budget': 507,
};

/**
 * Upstream client errors not passed on as they are, because RFC 9110 requires a header with
 * them that would have to describe the upstream, not our `/stream` resource: 405 `Allow`
 * (§15.5.6; GET is allowed here), 407 `Proxy-Authenticate` (§15.5.8; a proxy on the way to the
 * upstream, not one our client could answer), 426 `Upgrade` (§15.5.22). They become 502 with
 * the upstream's status in the body. (A 401 is passed on with a challenge of ours: see
 * `errorResponse`.)
 */
const NEEDS_UPSTREAM_HEADER: ReadonlySet<number> = new Set([405, 407, 426]);

/**
 * A failure the proxy answers a request with, by code. Errors travel as `ProxyError` through the
 * worker and become HTTP responses in one place (`errorResponse`) and replies in another
 * (`toReplyError`).
 */
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
      // server error of the upstream is a bad gateway from the client's point of view, and so
      // is a status whose required header only the upstream could give (see
      // `NEEDS_UPSTREAM_HEADER`).
      const s = this.details.status ?? 502;
      return s >= 400 && s < 500 && !NEEDS_UPSTREAM_HEADER.has(s) ? s : 502;
    }
    return STATUS[this.code];
  }
}
