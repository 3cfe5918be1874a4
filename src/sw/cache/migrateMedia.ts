import type { ChunkStore } from '../store/ChunkStore.ts';
import type { MediaCache } from './MediaCache.ts';

/** What a migration moved. */
export interface MigrationReport {
  from: ChunkStore['kind'];
  media: number;
  chunks: number;
  /** Chunks left behind because the budget had no evictable room for them (as LRU would). */
  dropped: number;
}

/**
 * Move everything `from` (the backend an installation used before it switched) holds into
 * `cache` (the backend in use now), media by media, oldest last so the LRU order survives: each
 * media is described to the cache, its chunks written through it (budget, eviction and
 * validation apply as for any download), its pin carried over, then it is deleted from `from`.
 * Nothing is stranded in the old backend and nothing is served from it meanwhile; a media read
 * before its turn is downloaded anew, as an uncached one would be.
 */
export async function migrateMedia(from: ChunkStore, cache: MediaCache): Promise<MigrationReport> {
  const report: MigrationReport = { from: from.kind, media: 0, chunks: 0, dropped: 0 };
  const metas = (await from.listMedia()).sort((a, b) => b.lastAccess - a.lastAccess);
  for (const old of metas) {
    const { version, lastAccess, pinned, ...description } = old;
    const { meta } = await cache.describeMedia(description);
    for (const chunk of await from.listChunks(old.key)) {
      if (cache.isStored(meta.key, chunk.index)) continue;
      const data = await from.getChunk(old.key, chunk.index);
      if (data === undefined) continue;
      const outcome = await cache.writeChunk(meta.key, meta.version, chunk.index, data);
      if (outcome === 'stored') report.chunks++;
      else report.dropped++;
    }
    if (pinned) await cache.setPinned(meta.key, true);
    await from.deleteMedia(old.key);
    report.media++;
  }
  return report;
}
