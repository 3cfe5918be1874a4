import type { Validation } from '../../shared/types.ts';
import { ProxyError } from '../errors/ProxyError.ts';
import { parseContentRange } from './contentRange.ts';
import { fetchUpstream, refusedRedirect } from './fetchUpstream.ts';
import { notMediaReason } from './notMediaReason.ts';
import type { Upstream, UpstreamInfo } from './UpstreamInfo.ts';
import { isTimeout } from './UpstreamTimeouts.ts';

/** The outcome of a probe: chunking works (`parallel`), or it cannot and why (`single`). */
export type ProbeResult =
  | { mode: 'parallel'; info: UpstreamInfo }
  | {
      mode: 'single';
      reason: string;
      size: number | null;
      contentType: string | null;
      /** The validators the answers carry and each upstream answer is checked against. */
      etag: string | null;
      lastModified: string | null;
      opaque: boolean;
    };

/**
 * Learn what an upstream serves before chunking it: a one-byte ranged GET (`bytes=0-0`, a single
 * range is CORS-safelisted so it needs no preflight), then `HEAD` when CORS hides
 * `Content-Range` (the status and `Content-Length` stay readable, README "Platform facts").
 * Rejects with a `ProxyError` when the upstream is unreachable, answers an error status, answers
 * a web page instead of the media (`upstream-invalid`, see notMediaReason: a captive portal is
 * neither single mode nor new content), or sends no headers in time (`upstream-timeout`).
 */
export async function probeUpstream(
  upstream: Upstream,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const first = await request(upstream, { Range: 'bytes=0-0' }, 'GET', signal);
  if (first === 'cors-blocked') {
    return {
      mode: 'single',
      reason: 'upstream is not readable through CORS (opaque)',
      size: null,
      contentType: null,
      etag: null,
      lastModified: null,
      opaque: true,
    };
  }
  const refused = refusedRedirect(first);
  if (refused)
    throw new ProxyError('upstream-invalid', {}, `Probe of ${upstream.url}: ${refused}.`);
  discard(first);
  const notMedia = first.ok ? notMediaReason(first) : null;
  if (notMedia) {
    throw new ProxyError('upstream-invalid', {}, `Probe of ${upstream.url} ${notMedia}.`);
  }
  const contentType = first.headers.get('Content-Type');
  const etag = first.headers.get('ETag');
  const lastModified = first.headers.get('Last-Modified');

  if (first.status === 200) {
    const length = first.headers.get('Content-Length');
    return {
      mode: 'single',
      reason: 'upstream ignores Range (answered 200 to bytes=0-0)',
      size: length === null ? null : Number(length),
      contentType,
      etag,
      lastModified,
      opaque: false,
    };
  }
  if (first.status !== 206 && first.status !== 416) {
    throw new ProxyError(
      'upstream-status',
      { status: first.status },
      `Probe of ${upstream.url} got ${first.status}.`,
    );
  }

  // 206 for a non-empty body, 416 (`bytes */0`) for an empty one.
  const cr = parseContentRange(first.headers.get('Content-Range'));
  let size = cr?.size ?? null;
  const contentRangeVisible = cr !== null;
  if (size === null) {
    const head = await request(upstream, {}, 'HEAD', signal);
    if (head !== 'cors-blocked' && head.ok) {
      const length = head.headers.get('Content-Length');
      if (length !== null && /^\d+$/.test(length)) size = Number(length);
    }
  }
  if (size === null) {
    return {
      mode: 'single',
      reason: 'upstream size unknown (no Content-Range or Content-Length)',
      size: null,
      contentType,
      etag,
      lastModified,
      opaque: false,
    };
  }

  return {
    mode: 'parallel',
    info: {
      size,
      contentType,
      etag,
      lastModified,
      contentRangeVisible,
      validation: validationOf(contentRangeVisible, etag, lastModified),
    },
  };
}

/**
 * How far chunks can be checked (README "Validation levels"): `strong` needs the exact range and
 * total (a readable Content-Range) *and* a validator to compare; without ETag and Last-Modified a
 * change that keeps the size is invisible, so it is `none` however exact the ranges are.
 */
function validationOf(
  contentRangeVisible: boolean,
  etag: string | null,
  lastModified: string | null,
): Validation {
  if (!contentRangeVisible) return 'length-only';
  return etag !== null || lastModified !== null ? 'strong' : 'none';
}

/**
 * One upstream request. A fetch that fails (not by its header deadline) is retried once in
 * `no-cors` mode to tell "the upstream is there but CORS hides it" (an opaque response) from
 * "unreachable".
 */
async function request(
  upstream: Upstream,
  extra: Record<string, string>,
  method: string,
  signal?: AbortSignal,
): Promise<Response | 'cors-blocked'> {
  const headers = new Headers(upstream.headers);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  try {
    return await fetchUpstream(upstream, {
      method,
      headers,
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    if (isTimeout(error)) {
      throw new ProxyError('upstream-timeout', {}, `Probe of ${upstream.url}: ${error.message}.`);
    }
    try {
      const opaque = await fetchUpstream(upstream, {
        method: 'HEAD',
        signal,
        mode: 'no-cors',
      });
      if (opaque.type === 'opaque') return 'cors-blocked';
    } catch {
      // Unreachable as well without CORS: report the first failure.
    }
    throw new ProxyError(
      'upstream-unreachable',
      {},
      `${upstream.url}: ${(error as Error).message}`,
    );
  }
}

function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}
