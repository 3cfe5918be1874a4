import type { CacheIndex } from './CacheIndex.ts';
import { chooseEvictions, type Eviction } from './chooseEvictions.ts';
import { chunkLength } from './chunkMath.ts';

/**
 * What one user of a media (a runtime with readers and downloads) needs kept right now, as it
 * reported it: chunk positions of its readers, their read windows, and chunks being downloaded.
 */
export interface MediaActivity {
  readers: readonly number[];
  /** Inclusive chunk ranges `[from, to]` some reader will read next. */
  windows: readonly (readonly [number, number])[];
  /** Chunks queued or downloading. */
  busy: ReadonlySet<number>;
}

/**
 * Least-recently-used eviction at chunk granularity, told rather than asking (like media3's
 * `LeastRecentlyUsedCacheEvictor`): runtimes report their activity when it changes, the order
 * comes from the index's access times, and `plan` picks with the pure `chooseEvictions`. It
 * never calls back into a runtime.
 */
export class LruEvictor {
  private readonly activity = new Map<string, Map<object, MediaActivity>>();

  /** `owner`'s activity on `key` now; null when it no longer uses the media. */
  report(key: string, owner: object, activity: MediaActivity | null): void {
    const owners = this.activity.get(key) ?? new Map<object, MediaActivity>();
    if (activity === null) owners.delete(owner);
    else owners.set(owner, activity);
    if (owners.size === 0) this.activity.delete(key);
    else this.activity.set(key, owners);
  }

  /** Chunks to evict so that `bytes` more fit, or null when that is impossible. */
  plan(index: CacheIndex, bytes: number): Eviction[] | null {
    return chooseEvictions(
      index.all().map((m) => {
        const active = [...(this.activity.get(m.meta.key)?.values() ?? [])];
        return {
          key: m.meta.key,
          lastAccess: m.meta.lastAccess,
          pinned: m.meta.pinned,
          chunks: m.stored
            .indexes()
            .map((i) => ({ index: i, size: chunkLength(i, m.meta.size, m.meta.chunkSize) })),
          readers: active.flatMap((a) => a.readers),
          isProtected: (i: number) =>
            active.some((a) => a.busy.has(i) || a.windows.some(([f, t]) => i >= f && i <= t)),
        };
      }),
      bytes,
    );
  }
}
