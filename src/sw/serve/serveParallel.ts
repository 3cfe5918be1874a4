import { chunkIndexOf } from '../cache/chunkMath.ts';
import { buildResponse, rangeBounds } from '../http/buildResponse.ts';
import { decideAnswer } from '../http/preconditions.ts';
import type { ParallelMedia } from '../media/ParallelMedia.ts';
import { createChunkedBody } from './createChunkedBody.ts';
import { readStoredBody } from './readStoredBody.ts';
import { readWhileKept } from './readWhileKept.ts';

/**
 * Answer one range request for a parallel media: preconditions and range decided
 * (`decideAnswer`, against the probed ETag and Last-Modified the answer carries), then the bytes
 * from storage when every chunk is stored (`storedBody`), else a chunked stream
 * (`createChunkedBody`). `hold` marks the request's use as lasting while a streamed body lives;
 * the function it returns is called once the stream ends. A navigation is answered as a download
 * (see `buildResponse`).
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
  const stored = await storedBody(media, bounds.start, bounds.end, hold);
  if (stored) return buildResponse(range, meta, stored, request.method);
  const ended = hold();
  const body = await createChunkedBody(media.reads, bounds.start, bounds.end, ended).catch(
    (error: unknown) => {
      ended(); // no body: the use ends with the request
      throw error;
    },
  );
  return buildResponse(range, meta, body, request.method);
}

/**
 * Bytes `[start, end]` from storage when every chunk of them is stored, else null: the composed
 * Blob itself (no JavaScript in the byte path), or, where such a Blob stops being readable once
 * its chunks are evicted, the Blob read through `readWhileKept` with its chunks kept from eviction
 * and the request's use held until the body ends.
 */
async function storedBody(
  media: ParallelMedia,
  start: number,
  end: number,
  hold: () => () => void,
): Promise<Blob | ReadableStream<Uint8Array> | null> {
  const unkeep = media.blobsOutliveRemoval
    ? null
    : media.keepFromEviction(
        chunkIndexOf(start, media.chunkSize),
        chunkIndexOf(end, media.chunkSize),
      );
  let stored: Blob | null;
  try {
    stored = await readStoredBody(media, start, end);
  } catch (error) {
    unkeep?.();
    throw error;
  }
  if (!stored || !unkeep) {
    unkeep?.();
    return stored;
  }
  const ended = hold();
  return readWhileKept(stored, () => {
    unkeep();
    ended();
  });
}
