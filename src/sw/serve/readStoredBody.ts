import { chunkBounds, chunkIndexOf } from '../cache/chunkMath.ts';
import type { ParallelMedia } from '../media/ParallelMedia.ts';

/**
 * Bytes `[start, end]` as one Blob composed of the stored chunk Blobs (a slice of the span the
 * store hands out), when every chunk of the range is stored; else null. Composing Blobs copies nothing,
 * and the browser streams a Blob body natively: measured ~410 MiB/s against ~135–174 MiB/s for
 * the same chunks pulled through a JS ReadableStream (README, "Serving stored bytes"). Cancelling
 * is the browser's business too. The one read gets every chunk or none, so a chunk evicted
 * meanwhile just means the streaming path serves the range instead.
 */
export async function readStoredBody(
  media: Pick<
    ParallelMedia,
    'chunkSize' | 'size' | 'contentType' | 'isStored' | 'readStoredSpan' | 'reads'
  >,
  start: number,
  end: number,
): Promise<Blob | null> {
  const { chunkSize, size } = media;
  const first = chunkIndexOf(start, chunkSize);
  const last = chunkIndexOf(end, chunkSize);
  for (let i = first; i <= last; i++) if (!media.isStored(i)) return null;
  const span = await media.readStoredSpan(first, last);
  const offset = first * chunkSize;
  // Chunks are stored only at their full length (the last one of the media shorter): a span of
  // another length is not served (the streaming path reads the chunks one by one instead).
  if (span === null || span.size !== chunkBounds(last, size, chunkSize).end + 1 - offset)
    return null;
  media.reads.served(end - start + 1);
  return span.slice(start - offset, end - offset + 1, media.contentType ?? '');
}
