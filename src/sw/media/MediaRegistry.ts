import type { SessionInfo } from '../../shared/protocol.ts';
import type { MediaCache } from '../cache/MediaCache.ts';
import type { UpstreamFetch } from '../upstream/UpstreamFetch.ts';
import type { Upstream } from '../upstream/UpstreamInfo.ts';
import type { Media } from './Media.ts';
import { openMedia } from './openMedia.ts';
import type { ParallelSettings } from './ParallelMedia.ts';

/**
 * One `Media` per cache key, opened on first use and shared by every session of that key.
 * A failed open is forgotten (the next request probes again); a stale runtime (content changed)
 * is replaced.
 */
export class MediaRegistry {
  private readonly runtimes = new Map<string, Promise<Media>>();

  constructor(
    private readonly cache: MediaCache,
    private readonly defaults: Pick<ParallelSettings, 'maxRetries' | 'retryDelayMs'>,
    /** How every upstream of every runtime is reached (the proxy's `fetch` option). */
    private readonly fetch: UpstreamFetch,
    private readonly onOpen: (runtime: Media) => void = () => undefined,
  ) {}

  async forSession(session: SessionInfo): Promise<Media> {
    const pending = this.runtimes.get(session.cacheKey);
    if (pending) {
      const runtime = await pending.catch(() => null);
      if (runtime && !runtime.stale && !runtime.closed) {
        // Sessions sharing a cache key may carry newer URLs (signed, expiring) or headers.
        runtime.upstream = this.upstreamOf(session);
        return runtime;
      }
      if (this.runtimes.get(session.cacheKey) !== pending) return this.forSession(session);
    }
    const opening = openMedia(session.cacheKey, this.upstreamOf(session), this.cache, {
      ...this.defaults,
      chunkSize: session.chunkSize,
      concurrency: session.concurrency,
      prefetch: session.prefetch,
    });
    this.runtimes.set(session.cacheKey, opening);
    opening.then(this.onOpen, () => {
      if (this.runtimes.get(session.cacheKey) === opening) this.runtimes.delete(session.cacheKey);
    });
    return opening;
  }

  private upstreamOf(session: SessionInfo): Upstream {
    return { url: session.upstreamUrl, headers: session.headers, fetch: this.fetch };
  }

  /** The open runtime of `key`, if any (no probing). */
  async peek(key: string): Promise<Media | null> {
    const pending = this.runtimes.get(key);
    return pending ? pending.catch(() => null) : null;
  }

  /** Abort the downloads of `key` and forget its runtime. */
  async close(key: string): Promise<void> {
    const runtime = await this.peek(key);
    this.runtimes.delete(key);
    runtime?.close();
  }
}
