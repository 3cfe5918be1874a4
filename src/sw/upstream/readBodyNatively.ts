import { ChunkFetchError } from './ChunkFetchError.ts';
import { isTimeout, within } from './UpstreamTimeouts.ts';

/**
 * A chunk response's body as a Blob of exactly `length` bytes, read by the browser itself
 * (`Response.blob()`): the bytes never enter JavaScript, so there is no buffer to copy them into
 * and none left for the garbage collector (BENCHMARKS.md S11). Rejects with a `ChunkFetchError`:
 * - `timeout` when the whole body has not come within `deadlineMs` (the request is aborted on
 *   the wire; a body read natively shows no progress, so only its whole time can be bounded);
 * - `truncated` when it broke or ended short, `aborted` as soon as `wire` is aborted, and
 *   `invalid` for a Blob longer than `length` (a safeguard: the caller reads natively only a
 *   body whose `Content-Length` is `length`, so the browser reads no byte past it).
 */
export async function readBodyNatively(
  response: Response,
  length: number,
  wire: AbortController,
  deadlineMs: number,
): Promise<Blob> {
  // An abort settles the read at once, whenever the browser gets round to failing `blob()`.
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new DOMException('aborted', 'AbortError'));
    if (wire.signal.aborted) onAbort();
    else wire.signal.addEventListener('abort', onAbort, { once: true });
  });
  let blob: Blob;
  try {
    blob = await within(
      Promise.race([response.blob(), aborted]),
      deadlineMs,
      `body not complete within ${deadlineMs / 1000} s`,
    );
  } catch (error) {
    if (isTimeout(error)) {
      wire.abort(error); // stop the request, not only our wait for it
      throw new ChunkFetchError('timeout', `${error.message} (${length} bytes asked)`);
    }
    if (wire.signal.aborted) throw new ChunkFetchError('aborted', 'aborted');
    wire.abort(error); // whatever is left of the request goes too
    throw new ChunkFetchError('truncated', `body broke: ${(error as Error).message}`);
  } finally {
    wire.signal.removeEventListener('abort', onAbort);
  }
  if (blob.size > length) {
    throw new ChunkFetchError('invalid', `body longer than the ${length} bytes asked for`);
  }
  if (blob.size < length) {
    throw new ChunkFetchError('truncated', `body ended after ${blob.size} of ${length} bytes`);
  }
  return blob;
}
