/**
 * CORS response headers (Fetch standard, "CORS protocol"). The origin runs on its own port, so
 * every browser request to it is cross-origin and needs these to be readable.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Knobs } from './knobs.ts';

/** Headers a cross-origin reader of a range response needs to see (beyond the safelist). */
export const EXPOSED_HEADERS =
  'Content-Range, Content-Length, ETag, Accept-Ranges, Last-Modified, Content-Type';

type CorsKnobs = Pick<Knobs, 'noCors' | 'noExpose'>;

function allowOrigin(headers: IncomingHttpHeaders): Record<string, string> {
  const origin = headers.origin;
  if (origin === undefined) return { 'Access-Control-Allow-Origin': '*' };
  // Echoing the Origin makes the response depend on it: Vary keeps shared caches honest
  // (RFC 9110 §12.5.5).
  return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
}

/** CORS headers for an actual (non-preflight) response. */
export function corsHeaders(
  headers: IncomingHttpHeaders,
  knobs: CorsKnobs,
): Record<string, string> {
  if (knobs.noCors) return {};
  const out: Record<string, string> = {
    ...allowOrigin(headers),
    // Lets benchmarks read detailed Resource Timing entries for these cross-origin fetches.
    'Timing-Allow-Origin': headers.origin ?? '*',
  };
  if (!knobs.noExpose) out['Access-Control-Expose-Headers'] = EXPOSED_HEADERS;
  return out;
}

/** Headers for a 204 answer to a CORS preflight (OPTIONS with Access-Control-Request-*). */
export function preflightHeaders(
  headers: IncomingHttpHeaders,
  methods: string,
  knobs: CorsKnobs,
): Record<string, string> {
  if (knobs.noCors) return {};
  const out: Record<string, string> = {
    ...allowOrigin(headers),
    'Access-Control-Allow-Methods': methods,
    'Access-Control-Max-Age': '600',
  };
  const requested = headers['access-control-request-headers'];
  if (requested) out['Access-Control-Allow-Headers'] = requested;
  return out;
}
