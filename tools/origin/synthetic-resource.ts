/**
 * `/synthetic/<bytes>?seed=N`: a representation of any size generated on the fly.
 */
import type { Resource } from './resource.ts';
import { syntheticBytes } from './synthetic.ts';

/** Generation granularity; the writer splits further for throttling. */
const PIECE = 64 * 1024;
/** Fixed, long past, so the date is a strong validator (RFC 9110 §8.8.2.2). */
const BASE_LAST_MODIFIED = Date.UTC(2020, 0, 1);

/**
 * @param version 0, or 1 once the changeAfter knob triggered: then the content is that of
 *   seed + 1 and the validators differ.
 */
export function syntheticResource(size: number, seed: number, version: number): Resource {
  const contentSeed = seed + version;
  return {
    size,
    etag: `"${size}-${seed}-${version}"`,
    lastModified: new Date(BASE_LAST_MODIFIED + version * 1000).toUTCString(),
    contentType: 'application/octet-stream',
    async *read(start, end) {
      // Lazy: a piece is generated only when the writer asks for it, so an aborted or
      // throttled multi-GiB response costs nothing beyond what was sent.
      for (let pos = start; pos < end; pos += PIECE) {
        yield syntheticBytes(contentSeed, pos, Math.min(pos + PIECE, end));
      }
    },
  };
}

/** Parse the `<bytes>` path segment: a decimal integer up to Number.MAX_SAFE_INTEGER. */
export function parseSyntheticSize(segment: string): number | null {
  if (!/^\d{1,16}$/.test(segment)) return null;
  const size = Number(segment);
  return Number.isSafeInteger(size) ? size : null;
}
