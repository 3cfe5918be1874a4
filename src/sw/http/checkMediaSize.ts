import { ProxyError } from '../errors/ProxyError.ts';

/** The largest media size believed: byte offsets must stay exact in a JavaScript number. */
export const MAX_MEDIA_BYTES = Number.MAX_SAFE_INTEGER;

/**
 * The most chunks a media may have: its stored-chunk bitmap is then at most 2 MiB (1 bit per
 * chunk), and a chunk index stays a small integer. 2^24 chunks of 1 MiB is 16 TiB.
 */
export const MAX_CHUNKS = 2 ** 24;

/**
 * Refuse a media size an upstream claims (`Content-Range` total or `Content-Length`) that the
 * proxy cannot work with: not a safe non-negative integer, or more than `MAX_CHUNKS` chunks of
 * `chunkSize` (omit `chunkSize` where nothing is chunked, e.g. single mode). Throws
 * `upstream-invalid` with the reason in its message and details; returns nothing otherwise. Pure.
 */
export function checkMediaSize(size: number, chunkSize?: number): void {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_MEDIA_BYTES) {
    throw new ProxyError(
      'upstream-invalid',
      { size: Number.isFinite(size) ? size : null, maxMediaBytes: MAX_MEDIA_BYTES },
      `The upstream claims a size of ${size} bytes: not an integer from 0 to ${MAX_MEDIA_BYTES}.`,
    );
  }
  if (chunkSize === undefined) return;
  const chunks = Math.ceil(size / chunkSize);
  if (chunks > MAX_CHUNKS) {
    throw new ProxyError(
      'upstream-invalid',
      { size, chunkSize, chunks, maxChunks: MAX_CHUNKS },
      `The upstream claims a size of ${size} bytes: ${chunks} chunks of ${chunkSize} bytes, more than the ${MAX_CHUNKS} a media may have (use larger chunks).`,
    );
  }
}
