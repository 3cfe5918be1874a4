import { NATIVE_MAX_EXPECTED_MS } from '../media/chooseChunkBody.ts';
import { isDroppedPrefetch } from '../media/droppedPrefetch.ts';
import { ChunkFetchError } from './ChunkFetchError.ts';
import { changedFrom } from './changedFrom.ts';
import { parseContentRange } from './contentRange.ts';
import type { EarlyRange } from './EarlyRange.ts';
import { fetchUpstream, refusedRedirect } from './fetchUpstream.ts';
import { readBodyNatively } from './readBodyNatively.ts';
import { readWithin } from './readWithin.ts';
import type { Upstream, UpstreamInfo } from './UpstreamInfo.ts';
import { DEFAULT_TIMEOUTS, isTimeout } from './UpstreamTimeouts.ts';

/** What else a chunk fetch is told and tells. */
export interface FetchChunkOptions {
  /** Called as validated bytes arrive: `buffer[0, received)` are final. */
  onProgress?: (received: number, buffer: Uint8Array) => void;
  /** The same request already sent (see EarlyRange): validated here like any other. */
  early?: EarlyRange;
  /**
   * Stops the request whatever `signal` did before: a dropped prefetch finishing on its own
   * (its `signal` already aborted) must still stop when its media closes or its content changes.
   */
  stop?: AbortSignal;
  /** The answer came through a redirect, from `url` (its validation is the same). */
  onRedirect?: (url: string) => void;
}

/**
 * One validated ranged GET of bytes `[start, end]` (inclusive). Resolves with exactly
 * `end - start + 1` bytes, or rejects with a `ChunkFetchError` — nothing unvalidated escapes:
 * - status must be 206 (a 200 means the upstream stopped honouring ranges);
 * - a readable `Content-Range` must name exactly the bytes and total size asked for;
 * - a readable `ETag` and `Last-Modified` (the latter is CORS-safelisted, so readable even when
 *   the upstream exposes nothing) must equal the probed ones: a changed representation is caught
 *   on the very chunk that would have mixed old and new bytes;
 * - the body must be exactly the expected length (longer: the body is abandoned at once).
 *
 * An answer that came through a redirect (fetch follows redirects itself) is checked exactly the
 * same, wherever it came from, and reported (`onRedirect`). Headers that do not come within the
 * upstream's `headerTimeoutMs`, or a body that stops for `stallTimeoutMs`, fail the attempt as a
 * transient `timeout`, the request aborted on the wire.
 *
 * No `If-Range` is sent. It would let the upstream do the ETag comparison (RFC 9110 §13.1.5),
 * but it is not a CORS-safelisted header: every chunk request then needs a preflight, and
 * Chromium 156 did not reuse the preflight across chunk requests from the worker (measured: one
 * OPTIONS per chunk despite `Access-Control-Max-Age: 600`), doubling the requests. Comparing
 * the validators of every 206 gives the same guarantee for one request.
 */
export function fetchChunk(
  upstream: Upstream,
  info: UpstreamInfo,
  start: number,
  end: number,
  signal: AbortSignal,
  options: FetchChunkOptions = {},
): Promise<Uint8Array> {
  // Read through JavaScript only: the bytes come back as a Uint8Array.
  return fetchChunkWith(upstream, info, start, end, signal, options, false) as Promise<Uint8Array>;
}

/**
 * `fetchChunk` with the body read natively (`readBodyNatively`): the same request and the same
 * checks of status and headers, then the body as a Blob of exactly `end - start + 1` bytes that
 * never passed through JavaScript (see `chooseChunkBody`). Nothing is reported while it arrives
 * (`onProgress` is not called), and the whole body must come within the upstream's stall
 * timeout. Only a body whose `Content-Length` says the chunk's length is read so (the browser
 * then reads no byte past it, where `readExactly` would fail at the first surplus byte); any
 * other is read through JavaScript (`onProgress` reports it), and the bytes come back as a
 * `Uint8Array`. A prefetch dropped while its body is read natively gets
 * `DROPPED_NATIVE_GRACE_MS` to finish (its progress cannot be seen); see droppedPrefetch.ts.
 */
export function fetchChunkNative(
  upstream: Upstream,
  info: UpstreamInfo,
  start: number,
  end: number,
  signal: AbortSignal,
  options: FetchChunkOptions = {},
): Promise<Uint8Array | Blob> {
  return fetchChunkWith(upstream, info, start, end, signal, options, true);
}

/**
 * How long a dropped prefetch whose body is being read natively may still run: what a native
 * body is expected to take at most (`chooseChunkBody`). Its progress cannot be seen, so it is
 * given that long to finish instead of the "more than half in" rule; then it is aborted, so a
 * slow one never holds its concurrency slot from the reader that dropped it.
 */
export const DROPPED_NATIVE_GRACE_MS = NATIVE_MAX_EXPECTED_MS;

/** `fetchChunk`, or with `native` `fetchChunkNative`. */
async function fetchChunkWith(
  upstream: Upstream,
  info: UpstreamInfo,
  start: number,
  end: number,
  signal: AbortSignal,
  options: FetchChunkOptions,
  native: boolean,
): Promise<Uint8Array | Blob> {
  const { onProgress = () => undefined, early, stop, onRedirect } = options;
  if (signal.aborted || stop?.aborted) throw new ChunkFetchError('aborted', 'aborted');
  const length = end - start + 1;
  // The wire's own controller: a dropped prefetch that is more than half in is finished and
  // kept, one read natively gets `DROPPED_NATIVE_GRACE_MS` to finish (see droppedPrefetch.ts);
  // every other abort stops the request at once, and so does a stalled body.
  const wire = new AbortController();
  let received = 0;
  let readingNatively = false;
  let grace: ReturnType<typeof setTimeout> | undefined;
  const onAbort = () => {
    if (isDroppedPrefetch(signal.reason)) {
      if (received * 2 >= length) return;
      if (readingNatively) {
        grace = setTimeout(() => wire.abort(signal.reason), DROPPED_NATIVE_GRACE_MS);
        return;
      }
    }
    wire.abort(signal.reason);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const onStop = () => wire.abort(stop?.reason);
  stop?.addEventListener('abort', onStop, { once: true });
  try {
    return await fetchValidated(
      upstream,
      info,
      start,
      end,
      wire,
      (response, length) => {
        const { stallTimeoutMs } = upstream.timeouts ?? DEFAULT_TIMEOUTS;
        if (native && response.headers.get('Content-Length') === String(length)) {
          readingNatively = true;
          return readBodyNatively(response, length, wire, stallTimeoutMs);
        }
        return readExactly(response, length, wire, stallTimeoutMs, (n, buffer) => {
          received = n;
          onProgress(n, buffer);
        });
      },
      early,
      onRedirect,
    );
  } finally {
    clearTimeout(grace);
    signal.removeEventListener('abort', onAbort);
    stop?.removeEventListener('abort', onStop);
  }
}

async function fetchValidated(
  upstream: Upstream,
  info: UpstreamInfo,
  start: number,
  end: number,
  wire: AbortController,
  readBody: (response: Response, length: number) => Promise<Uint8Array | Blob>,
  early: EarlyRange | undefined,
  onRedirect: ((url: string) => void) | undefined,
): Promise<Uint8Array | Blob> {
  const signal = wire.signal;
  const headers = new Headers(upstream.headers);
  headers.set('Range', `bytes=${start}-${end}`);
  // Ranges apply to encoded bytes, so ask for identity. (Accept-Encoding is a forbidden header
  // name in fetch, and browsers already send identity for ranged requests.)

  let response: Response;
  try {
    if (early) signal.addEventListener('abort', () => early.abort(signal.reason), { once: true });
    response = await (early?.response ??
      fetchUpstream(upstream, {
        headers,
        signal,
      }));
  } catch (error) {
    if (signal.aborted) throw new ChunkFetchError('aborted', 'aborted');
    if (isTimeout(error)) throw new ChunkFetchError('timeout', error.message);
    throw new ChunkFetchError('network', `network error: ${(error as Error).message}`);
  }
  if (response.redirected) onRedirect?.(response.url);
  const refused = refusedRedirect(response);
  if (refused) throw new ChunkFetchError('invalid', refused);

  const length = end - start + 1;
  try {
    if (response.status === 200) {
      throw new ChunkFetchError('range-ignored', 'upstream answered 200 to a ranged request');
    }
    if (response.status === 416) {
      throw new ChunkFetchError(
        'changed',
        'upstream answered 416: the content is shorter now',
        416,
      );
    }
    if (response.status !== 206) {
      throw new ChunkFetchError('status', `upstream answered ${response.status}`, response.status);
    }
    const contentRange = response.headers.get('Content-Range');
    const cr = contentRange === null ? null : parseContentRange(contentRange);
    if (contentRange !== null) {
      if (cr === null || cr.start !== start || cr.end !== end) {
        throw new ChunkFetchError(
          'invalid',
          `asked bytes ${start}-${end}, got Content-Range "${contentRange}"`,
        );
      }
    } else if (info.contentRangeVisible) {
      throw new ChunkFetchError('invalid', '206 without Content-Range');
    }
    const changed = changedFrom(response, cr?.size ?? null, info);
    if (changed) throw new ChunkFetchError('changed', changed);
    const declared = response.headers.get('Content-Length');
    if (declared !== null && Number(declared) !== length) {
      throw new ChunkFetchError(
        'invalid',
        `asked ${length} bytes, Content-Length says ${declared}`,
      );
    }
    return await readBody(response, length);
  } catch (error) {
    // Whatever went wrong, release the connection now instead of draining a body we won't use.
    response.body?.cancel().catch(() => undefined);
    throw error;
  }
}

/** Bytes a BYOB read asks for at most: the one scratch buffer every read of a body reuses. */
const SCRATCH_BYTES = 64 * 1024;

/**
 * Read a body into one buffer of exactly `length` bytes, failing fast on too many or too few.
 * Where the body is a byte stream (Chromium, Firefox), each read fills one reused scratch buffer
 * (a BYOB reader hands the same memory back every time), so reading a chunk allocates nothing
 * but its own buffer: no 64 KiB buffer per read left for the garbage collector. Elsewhere a
 * default reader is used. Either way the bytes are copied once, into `out`, whose bytes below
 * `received` never change again (readers hold views of them, see PartialChunks).
 */
async function readExactly(
  response: Response,
  length: number,
  wire: AbortController,
  stallMs: number,
  onProgress: (received: number, buffer: Uint8Array) => void,
): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  if (response.body === null) {
    if (length === 0) return out;
    throw new ChunkFetchError('truncated', 'empty body');
  }
  const reader = openReader(response.body);
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await readWithin(reader.read, stallMs);
      if (done) break;
      if (received + value.byteLength > length) {
        throw new ChunkFetchError('invalid', `body longer than the ${length} bytes asked for`);
      }
      out.set(value, received);
      received += value.byteLength;
      reader.giveBack(value);
      onProgress(received, out);
    }
  } catch (error) {
    if (error instanceof ChunkFetchError) throw error;
    if (isTimeout(error)) {
      wire.abort(error); // stop the request, not only our read of it
      throw new ChunkFetchError('timeout', `${error.message} after ${received} of ${length} bytes`);
    }
    if (wire.signal.aborted) throw new ChunkFetchError('aborted', 'aborted');
    throw new ChunkFetchError(
      'truncated',
      `body broke after ${received} of ${length} bytes: ${(error as Error).message}`,
    );
  } finally {
    reader.release();
  }
  if (received !== length) {
    throw new ChunkFetchError('truncated', `body ended after ${received} of ${length} bytes`);
  }
  return out;
}

/** One way of reading a body: `read` the next bytes, `giveBack` a value once copied. */
interface BodyReader {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  giveBack(value: Uint8Array): void;
  release(): void;
}

/** A BYOB reader over one reused scratch buffer where the body is a byte stream, else default. */
function openReader(body: ReadableStream<Uint8Array>): BodyReader {
  let byob: ReadableStreamBYOBReader | null = null;
  try {
    byob = body.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream here: the default reader below.
  }
  if (byob === null) {
    const reader = body.getReader();
    return {
      read: () => reader.read(),
      giveBack: () => undefined,
      release: () => reader.releaseLock(),
    };
  }
  const r = byob;
  let scratch = new Uint8Array(SCRATCH_BYTES);
  return {
    read: () => r.read(scratch) as Promise<ReadableStreamReadResult<Uint8Array>>,
    // The read transferred the scratch memory into `value`; take it back for the next read.
    giveBack: (value) => {
      scratch = new Uint8Array(value.buffer as ArrayBuffer, 0, SCRATCH_BYTES);
    },
    release: () => r.releaseLock(),
  };
}
