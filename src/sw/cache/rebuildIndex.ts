import type { StoreRepair } from '../../shared/types.ts';
import type { ChunkStore } from '../store/ChunkStore.ts';
import { byMedia } from './byMedia.ts';
import { CacheIndex } from './CacheIndex.ts';

/**
 * The index of what `store` really holds, rebuilt from its own listing (as media3's SimpleCache
 * rebuilds its index from its files), with every orphan chunk deleted: a chunk of no media, at an
 * index the media does not have, or of a length that is not the chunk's (left by a crash or by
 * hand). What open and `verify` run.
 */
export async function rebuildIndex(
  store: ChunkStore,
): Promise<{ index: CacheIndex; orphans: number; chunks: number }> {
  const [metas, chunks] = await Promise.all([store.listMedia(), store.listChunks()]);
  const { index, orphans } = CacheIndex.build(metas, chunks);
  // One call per media: orphans merged into one stored value go without a split.
  for (const [key, indexes] of byMedia(orphans)) await store.deleteChunks(key, indexes);
  return { index, orphans: orphans.length, chunks: chunks.length };
}

/**
 * What a rebuild changed against the index the cache held: the media whose stored chunks differ.
 * Access times the old index recorded in memory (not yet persisted) are carried over.
 */
export function reconcile(
  before: CacheIndex,
  rebuilt: { index: CacheIndex; orphans: number; chunks: number },
): StoreRepair {
  const { index } = rebuilt;
  const repaired: string[] = [];
  for (const m of index.all()) {
    const old = before.get(m.meta.key);
    const same = old !== undefined && old.stored.indexes().join() === m.stored.indexes().join();
    if (!same) repaired.push(m.meta.key);
    if (old) index.setMeta({ ...m.meta, lastAccess: old.meta.lastAccess }, true);
  }
  return {
    media: index.all().length,
    chunks: rebuilt.chunks,
    repaired,
    orphanChunks: rebuilt.orphans,
  };
}
