import type { MediaMeta } from '../store/ChunkStore.ts';
import { sameContent } from './sameContent.ts';

/** What a probe tells the cache about a media; version, access and pin are the cache's. */
export type MediaDescription = Omit<MediaMeta, 'version' | 'lastAccess' | 'pinned'>;

/**
 * The metadata to store for a probe's description `d`, given what is stored (`old`). Same content
 * (`sameContent`): the chunks stay valid, the description is refreshed (a validator now hidden
 * keeps the known one). Otherwise the chunks must go and the content gets `nextVersion`, so writes
 * still carrying the old version are refused by the store. Pure.
 */
export function describeContent(
  old: MediaMeta | undefined,
  d: MediaDescription,
  nextVersion: number,
  now: number,
): { meta: MediaMeta; keepChunks: boolean } {
  if (old && sameContent(old, d)) {
    return {
      meta: {
        ...old,
        ...d,
        etag: d.etag ?? old.etag,
        lastModified: d.lastModified ?? old.lastModified,
      },
      keepChunks: true,
    };
  }
  return {
    meta: { ...d, version: nextVersion, lastAccess: now, pinned: old?.pinned ?? false },
    keepChunks: false,
  };
}
