import { ProxyError } from '../errors/ProxyError.ts';
import { changedFrom } from './changedFrom.ts';
import { parseContentRange } from './contentRange.ts';
import { fetchUpstream, refusedRedirect } from './fetchUpstream.ts';
import { notMediaReason } from './notMediaReason.ts';
import { readWithin } from './readWithin.ts';
import type { Upstream, UpstreamInfo } from './UpstreamInfo.ts';
import { DEFAULT_TIMEOUTS, isTimeout } from './UpstreamTimeouts.ts';

/** What the probe saw, each answer checked against it (see `changedFrom`). */
export interface ExpectedContent extends Pick<UpstreamInfo, 'etag' | 'lastModified'> {
  /** The representation's size, when known. */
  size: number | null;
  /**
   * An answer contradicted it: in its headers (the promise also rejects with `content-changed`)
   * or, for a whole body, by running past `size` (the body errors with `content-changed`).
   */
  onChanged?: (why: string) => void;
}

export interface UpstreamBody {
  /** Exactly the bytes asked for (errors rather than end short; never padded). */
  body: ReadableStream<Uint8Array>;
  contentType: string | null;
  /** The upstream's `Content-Length` when it answered the whole body (range === null). */
  length: number | null;
  /** The answer's own ETag and Last-Modified (null when absent or hidden by CORS). */
  etag: string | null;
  lastModified: string | null;
}

/**
 * Stream bytes `[range.start, range.end]` (or the whole body when `range` is null) straight from
 * the upstream: the single-mode path, and the fallback of a parallel request whose chunk could
 * not be had. Works whether the upstream honours the range (206, checked against a readable
 * `Content-Range`) or ignores it (200: the leading bytes are skipped and the stream stops at
 * `range.end`). Rejects with a `ProxyError` for an unreachable upstream, an error status, a web
 * page instead of the media (`notMediaReason`), or headers that did not come in time
 * (`upstream-timeout`); the body errors with `upstream-timeout` when it stops sending for the
 * upstream's `stallTimeoutMs` while being read. A timed-out request is aborted on the wire.
 */
export async function openUpstreamBody(
  upstream: Upstream,
  range: { start: number; end: number } | null,
  signal: AbortSignal,
  onBytes: (n: number) => void = () => undefined,
  /**
   * What the probe saw: a readable ETag, Last-Modified or total that differs is a change, and a
   * whole body (a 200 to no range, or to a range of the whole size) must be exactly `size` bytes.
   */
  expected?: ExpectedContent,
): Promise<UpstreamBody> {
  const headers = new Headers(upstream.headers);
  if (range) headers.set('Range', `bytes=${range.start}-${range.end}`);
  // The request's own controller: the caller's signal stops it, and so does a stalled body.
  const wire = new AbortController();
  const onAbort = () => wire.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  let response: Response;
  try {
    response = await fetchUpstream(upstream, {
      headers,
      signal: wire.signal,
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (isTimeout(error)) {
      throw new ProxyError('upstream-timeout', {}, `${upstream.url}: ${error.message}.`);
    }
    throw new ProxyError(
      'upstream-unreachable',
      {},
      `${upstream.url}: ${(error as Error).message}`,
    );
  }
  const refused = refusedRedirect(response);
  if (refused) throw new ProxyError('upstream-invalid', {}, `${upstream.url}: ${refused}.`);
  /** The answer contradicts the probe: release it, tell the media, and fail as a change. */
  const contentChanged = (why: string): ProxyError => {
    response.body?.cancel().catch(() => undefined);
    expected?.onChanged?.(why);
    return new ProxyError('content-changed', {}, why);
  };
  if (response.status === 416 && range && expected?.size != null && range.end < expected.size) {
    // Bytes within the size the probe saw cannot be had: the content is shorter now (a change,
    // so the media is probed again and the request answered from what is there now).
    throw contentChanged(
      `upstream answered 416 to bytes ${range.start}-${range.end} of ${expected.size}: the content is shorter now`,
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
  const notMedia = notMediaReason(response);
  if (notMedia) {
    // Not the media, so it says nothing of the media's content either: no content change.
    response.body.cancel().catch(() => undefined);
    throw new ProxyError('upstream-invalid', {}, `${upstream.url} ${notMedia}.`);
  }
  const contentType = response.headers.get('Content-Type');
  const declared = response.headers.get('Content-Length');
  const stall = {
    ms: (upstream.timeouts ?? DEFAULT_TIMEOUTS).stallTimeoutMs,
    stop: (reason: unknown) => wire.abort(reason),
  };
  // The total is Content-Range's on a 206 to a range, Content-Length on a 200 (the whole body).
  const partial = range !== null && response.status === 206;
  const cr = partial ? parseContentRange(response.headers.get('Content-Range')) : null;
  const total = partial ? (cr?.size ?? null) : declared === null ? null : Number(declared);
  const changed = expected && changedFrom(response, total, expected);
  if (changed) throw contentChanged(changed);
  const validators = {
    etag: response.headers.get('ETag'),
    lastModified: response.headers.get('Last-Modified'),
  };
  // A whole body of a known size: it must end exactly there.
  const size = expected?.size ?? null;
  const whole =
    size !== null &&
    response.status === 200 &&
    (range === null || (range.start === 0 && range.end === size - 1))
      ? expected
      : undefined;
  if (range === null) {
    return {
      body: slice(response.body, 0, whole ? size : null, onBytes, stall, whole),
      contentType,
      length: declared === null ? null : Number(declared),
      ...validators,
    };
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
    body: slice(response.body, skip, range.end - range.start + 1, onBytes, stall, whole),
    contentType,
    length: null,
    ...validators,
  };
}

/**
 * Drop `skip` leading bytes, then pass `take` bytes (all when null) and stop the source. A read
 * of the source that brings nothing within `stall.ms` stops the request and errors the stream.
 * With `whole` (the source is the whole body, `take` its expected size) the source must end
 * right there: more bytes mean the content changed, and the stream errors instead of closing.
 */
function slice(
  source: ReadableStream<Uint8Array>,
  skip: number,
  take: number | null,
  onBytes: (n: number) => void,
  stall: { ms: number; stop: (reason: unknown) => void },
  whole?: ExpectedContent,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let toSkip = skip;
  let left = take;
  const read = () =>
    readWithin(reader, stall.ms).catch((error: unknown) => {
      if (!isTimeout(error)) throw error;
      stall.stop(error);
      throw new ProxyError('upstream-timeout', {}, `Upstream body: ${error.message}.`);
    });
  const runsPast = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    const why = `the body runs past the ${take} bytes probed`;
    whole?.onChanged?.(why);
    controller.error(new ProxyError('content-changed', {}, why));
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (left === 0) {
          // The whole body must end at its size; one more read tells (an empty piece proves
          // nothing, so read past those).
          let more = false;
          while (whole && !more) {
            const next = await read();
            if (next.done) break;
            more = next.value.byteLength > 0;
          }
          reader.cancel().catch(() => undefined);
          if (more) runsPast(controller);
          else controller.close();
          return;
        }
        const { done, value } = await read();
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
        if (left !== null && piece.byteLength > left) {
          if (whole) {
            reader.cancel().catch(() => undefined);
            runsPast(controller);
            return;
          }
          piece = piece.subarray(0, left);
        }
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
