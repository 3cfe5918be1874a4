import { buildResponse, rangeBounds } from '../http/buildResponse.ts';
import { decideAnswer } from '../http/preconditions.ts';
import type { ParallelMedia } from '../media/ParallelMedia.ts';
import { createChunkedBody } from './createChunkedBody.ts';
import { readStoredBody } from './readStoredBody.ts';

/**
 * Answer one range request for a parallel media: preconditions and range decided
 * (`decideAnswer`, against the probed ETag and Last-Modified the answer carries), then the
 * bytes as one composed Blob when every chunk is stored (no JavaScript in the byte path), else a
 * chunked stream (`createChunkedBody`). `hold` marks the request's use as lasting while that
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
  const stored = await readStoredBody(media, bounds.start, bounds.end);
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
