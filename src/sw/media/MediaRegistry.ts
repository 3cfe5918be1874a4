import type { SessionInfo } from '../../shared/protocol.ts';
import type { MediaCache } from '../cache/MediaCache.ts';
import type { MediaRuntime, MediaSettings } from './MediaRuntime.ts';
import { openMediaRuntime } from './openMediaRuntime.ts';

/**
 * One `MediaRuntime` per cache key, opened on first use and shared by every session of that key.
 * A failed open is forgotten (the next request probes again); a stale runtime (content changed)
 * is replaced.
 */
export class MediaRegistry {
  private readonly runtimes = new Map<string, Promise<MediaRuntime>>();

  constructor(
    private readonly cache: MediaCache,
    private readonly defaults: Pick<MediaSettings, 'maxRetries' | 'retryDelayMs'>,
    private readonly onOpen: (runtime: MediaRuntime) => void = () => undefined,
  ) {}

  async forSession(session: SessionInfo): Promise<MediaRuntime> {
    const pending = this.runtimes.get(session.cacheKey);
    if (pending) {
      const runtime = await pending.catch(() => null);
      if (runtime && !runtime.stale && !runtime.closed) {
        // Sessions sharing a cache key may carry newer URLs (signed, expiring) or headers.
        runtime.upstream = { url: session.upstreamUrl, headers: session.headers };
        return runtime;
      }
      if (this.runtimes.get(session.cacheKey) !== pending) return this.forSession(session);
    }
    const opening = openMediaRuntime(
      session.cacheKey,
      { url: session.upstreamUrl, headers: session.headers },
      this.cache,
      {
        ...this.defaults,
        chunkSize: session.chunkSize,
        concurrency: session.concurrency,
        prefetch: session.prefetch,
      },
    );
    this.runtimes.set(session.cacheKey, opening);
    opening.then(this.onOpen, () => {
      if (this.runtimes.get(session.cacheKey) === opening) this.runtimes.delete(session.cacheKey);
    });
    return opening;
  }

  /** The open runtime of `key`, if any (no probing). */
  async peek(key: string): Promise<MediaRuntime | null> {
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
