import { ProxyError } from '../errors/ProxyError.ts';
import { changedFrom } from './changedFrom.ts';
import { parseContentRange } from './contentRange.ts';
import type { Upstream, UpstreamInfo } from './UpstreamInfo.ts';

export interface UpstreamBody {
  /** Exactly the bytes asked for (errors rather than end short; never padded). */
  body: ReadableStream<Uint8Array>;
  contentType: string | null;
  /** The upstream's `Content-Length` when it answered the whole body (range === null). */
  length: number | null;
}

/**
 * Stream bytes `[range.start, range.end]` (or the whole body when `range` is null) straight from
 * the upstream: the single-mode path, and the fallback of a parallel request whose chunk could
 * not be had. Works whether the upstream honours the range (206, checked against a readable
 * `Content-Range`) or ignores it (200: the leading bytes are skipped and the stream stops at
 * `range.end`). Rejects with a `ProxyError` for an unreachable upstream or an error status.
 */
export async function openUpstreamBody(
  upstream: Upstream,
  range: { start: number; end: number } | null,
  signal: AbortSignal,
  onBytes: (n: number) => void = () => undefined,
  /** What the probe saw: a readable ETag, Last-Modified or total that differs is a change. */
  expected?: Pick<UpstreamInfo, 'size' | 'etag' | 'lastModified'>,
): Promise<UpstreamBody> {
  const headers = new Headers(upstream.headers);
  if (range) headers.set('Range', `bytes=${range.start}-${range.end}`);
  let response: Response;
  try {
    response = await upstream.fetch(upstream.url, {
      headers,
      signal,
      cache: 'no-store',
      mode: 'cors',
      credentials: 'same-origin',
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new ProxyError(
      'upstream-unreachable',
      {},
      `${upstream.url}: ${(error as Error).message}`,
    );
  }
  if (!response.ok || response.body === null) {
    response.body?.cancel().catch(() => undefined);
    throw new ProxyError(
      'upstream-status',
      { status: response.status },
      `${upstream.url} answered ${response.status}.`,
    );
  }
  const contentType = response.headers.get('Content-Type');
  const declared = response.headers.get('Content-Length');
  if (range === null) {
    return {
      body: slice(response.body, 0, null, onBytes),
      contentType,
      length: declared === null ? null : Number(declared),
    };
  }
  const cr =
    response.status === 206 ? parseContentRange(response.headers.get('Content-Range')) : null;
  // The total is Content-Range's on a 206, Content-Length on a 200 (the whole body).
  const total =
    response.status === 206 ? (cr?.size ?? null) : declared === null ? null : Number(declared);
  const changed = expected && changedFrom(response, total, expected);
  if (changed) {
    response.body.cancel().catch(() => undefined);
    throw new ProxyError('content-changed', {}, changed);
  }
  let skip = 0;
  if (response.status === 206) {
    if (cr !== null && cr.start !== range.start) {
      response.body.cancel().catch(() => undefined);
      throw new ProxyError(
        'upstream-invalid',
        {},
        `Asked bytes ${range.start}-, got Content-Range starting at ${cr.start}.`,
      );
    }
  } else {
    skip = range.start; // 200: the upstream sent the whole body from byte 0.
  }
  return {
    body: slice(response.body, skip, range.end - range.start + 1, onBytes),
    contentType,
    length: null,
  };
}

/** Drop `skip` leading bytes, then pass `take` bytes (all when null) and stop the source. */
function slice(
  source: ReadableStream<Uint8Array>,
  skip: number,
  take: number | null,
  onBytes: (n: number) => void,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let toSkip = skip;
  let left = take;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (left === 0) {
          controller.close();
          reader.cancel().catch(() => undefined);
          return;
        }
        const { done, value } = await reader.read();
        if (done) {
          if (left === null) controller.close();
          else
            controller.error(
              new ProxyError('upstream-invalid', {}, `Upstream body ended ${left} bytes early.`),
            );
          return;
        }
        let piece = value;
        if (toSkip > 0) {
          const n = Math.min(toSkip, piece.byteLength);
          toSkip -= n;
          piece = piece.subarray(n);
        }
        if (left !== null && piece.byteLength > left) piece = piece.subarray(0, left);
        if (piece.byteLength === 0) continue;
        if (left !== null) left -= piece.byteLength;
        onBytes(piece.byteLength);
        controller.enqueue(piece);
        return;
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
