import type { MediaMeta } from '../store/ChunkStore.ts';

/** What a probe says of a media's content. */
export type ContentDescription = Pick<MediaMeta, 'size' | 'chunkSize' | 'etag' | 'lastModified'>;

/**
 * Whether stored chunks of `stored` may serve the content `now` describes: same size, same chunk
 * size, and no validator that contradicts (a validator unknown on one side — hidden by CORS, or
 * never sent — does not contradict a known one; see README "validation levels"). Pure.
 */
export function sameContent(stored: ContentDescription, now: ContentDescription): boolean {
  return (
    stored.size === now.size &&
    stored.chunkSize === now.chunkSize &&
    sameValidator(stored.etag, now.etag) &&
    sameValidator(stored.lastModified, now.lastModified)
  );
}

function sameValidator(a: string | null, b: string | null): boolean {
  return a === null || b === null || a === b;
}
