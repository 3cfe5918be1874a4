import { ProxyError } from '../errors/ProxyError.ts';
import { checkString } from './checkString.ts';
import { SESSION_LIMITS, UPSTREAM_SCHEMES } from './sessionLimits.ts';

/** Where this worker serves its streams, so a session cannot point at one of them. */
export interface OwnStreams {
  /** The worker's origin (`https://app.example`); null when unknown (no check then). */
  origin: string | null;
  /** Path prefix of stream URLs, e.g. `/stream/`. */
  streamPrefix: string;
}

/**
 * The upstream URL a page gave, parsed and checked: absolute, at most 8 KiB, `http:` or
 * `https:` (never `javascript:`, `data:`, `file:`, `blob:`…), no credentials (Fetch refuses a
 * URL with them), and not one of this worker's own stream URLs (a session on a session).
 * Throws `bad-request` naming the field `url` otherwise.
 */
export function checkUpstreamUrl(url: unknown, own: OwnStreams): URL {
  const text = checkString('url', url, SESSION_LIMITS.url);
  let upstream: URL;
  try {
    upstream = new URL(text);
  } catch {
    throw new ProxyError('bad-request', { field: 'url' }, 'url must be an absolute URL.');
  }
  if (!UPSTREAM_SCHEMES.includes(upstream.protocol)) {
    throw new ProxyError(
      'bad-request',
      { field: 'url', allowed: [...UPSTREAM_SCHEMES] },
      `url must be http: or https: (got ${upstream.protocol}).`,
    );
  }
  if (upstream.username !== '' || upstream.password !== '') {
    throw new ProxyError(
      'bad-request',
      { field: 'url' },
      'url must not carry credentials (user:password@); pass them in headers.',
    );
  }
  if (upstream.origin === own.origin && upstream.pathname.startsWith(own.streamPrefix)) {
    throw new ProxyError(
      'bad-request',
      { field: 'url', streamPrefix: own.streamPrefix },
      `url must not be one of this proxy's own stream URLs (${own.streamPrefix}…).`,
    );
  }
  return upstream;
}
