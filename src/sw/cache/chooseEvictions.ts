/** One media as the evictor sees it. */
export interface EvictableMedia {
  key: string;
  lastAccess: number;
  pinned: boolean;
  /** Stored chunks and their sizes. */
  chunks: { index: number; size: number }[];
  /** Chunk positions of the media's active readers (empty when nobody reads it). */
  readers: number[];
  /** Chunks an active read window or a running download needs: never evicted. */
  isProtected(index: number): boolean;
}

export interface Eviction {
  key: string;
  index: number;
  size: number;
}

/**
 * Least-recently-used eviction at chunk granularity. Pure: picks, does nothing.
 *
 * Media are visited by last access, oldest first; pinned media are skipped. Within a media the
 * chunks farthest from any of its readers go first (for a media nobody reads, the highest
 * indexes: the start of a file is what a player needs first), and protected chunks never go.
 * Returns the chunks to remove to free at least `bytes`, or null when even evicting every
 * candidate would not free enough (then nothing should be evicted for nothing).
 */
export function chooseEvictions(media: EvictableMedia[], bytes: number): Eviction[] | null {
  if (bytes <= 0) return [];
  const chosen: Eviction[] = [];
  let freed = 0;
  const byAge = [...media].filter((m) => !m.pinned).sort((a, b) => a.lastAccess - b.lastAccess);
  for (const m of byAge) {
    const distance = (index: number) =>
      m.readers.length === 0 ? index : Math.min(...m.readers.map((p) => Math.abs(index - p)));
    const candidates = m.chunks
      .filter((c) => !m.isProtected(c.index))
      .sort((a, b) => distance(b.index) - distance(a.index) || b.index - a.index);
    for (const c of candidates) {
      chosen.push({ key: m.key, index: c.index, size: c.size });
      freed += c.size;
      if (freed >= bytes) return chosen;
    }
  }
  return null;
}
