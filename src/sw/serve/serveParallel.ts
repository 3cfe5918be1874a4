import { chunkIndexOf } from '../cache/chunkMath.ts';
import { buildResponse, rangeBounds } from '../http/buildResponse.ts';
import { decideAnswer } from '../http/preconditions.ts';
import type { ParallelMedia } from '../media/ParallelMedia.ts';
import { createChunkedBody } from './createChunkedBody.ts';
import { readStoredBody } from './readStoredBody.ts';
import { readWhilePinned } from './readWhilePinned.ts';

/**
 * Answer one range request for a parallel media: preconditions and range decided
 * (`decideAnswer`, against the probed ETag and Last-Modified the answer carries), then the
 * bytes as one composed Blob when every chunk is stored (no JavaScript in the byte path; where
 * such a Blob breaks once its chunks are evicted, read through `readWhilePinned` with the chunks
 * pinned until the body ends), else a chunked stream (`createChunkedBody`). `hold` marks the request's use as lasting while that
 * stream lives; the function it returns is called once the stream ends. A navigation is answered
 * as a download (see `buildResponse`).
 */
export async function serveParallel(
  media: ParallelMedia,
  request: Request,
  hold: () => () => void,
): Promise<Response> {
  const size = media.size;
  const { etag, lastModified } = media.info;
  const range = decideAnswer(request.headers, size, { etag, lastModified });
  const meta = {
    size,
    contentType: media.contentType,
    etag,
    lastModified,
    download: request.mode === 'navigate',
  };
  const bounds = rangeBounds(range, size);
  if (request.method === 'HEAD' || bounds === null) {
    return buildResponse(range, meta, null, request.method);
  }
  // Where a stored Blob stops being readable once evicted, its chunks stay while it is read.
  const unpin = media.storedBlobsOutliveEviction
    ? null
    : media.pinChunks(
        chunkIndexOf(bounds.start, media.chunkSize),
        chunkIndexOf(bounds.end, media.chunkSize),
      );
  const stored = await readStoredBody(media, bounds.start, bounds.end);
  if (stored) {
    const body = unpin ? readWhilePinned(stored, unpin) : stored;
    return buildResponse(range, meta, body, request.method);
  }
  unpin?.();
  const ended = hold();
  const body = await createChunkedBody(media.reads, bounds.start, bounds.end, ended).catch(
    (error: unknown) => {
      ended(); // no body: the use ends with the request
      throw error;
    },
  );
  return buildResponse(range, meta, body, request.method);
}
