import type { CacheEntry } from '../../shared/types.ts';
import type { IndexedMedia } from './CacheIndex.ts';
import { chunkCount } from './chunkMath.ts';

/** One media as `cache.list()` reports it. Pure. */
export function toCacheEntry({
  meta,
  stored,
  storedBytes,
  storedChunks,
}: IndexedMedia): CacheEntry {
  return {
    key: meta.key,
    url: meta.url,
    size: meta.size,
    storedBytes,
    chunkSize: meta.chunkSize,
    chunkCount: chunkCount(meta.size, meta.chunkSize),
    storedChunks,
    storedChunkRanges: stored.ranges(),
    lastAccess: meta.lastAccess,
    pinned: meta.pinned,
  };
}
