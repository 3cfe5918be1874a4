import type { SessionInfo } from '../../shared/types.ts';
import type { MediaCache } from '../cache/MediaCache.ts';
import type { UpstreamFetch } from '../upstream/UpstreamFetch.ts';
import type { Upstream } from '../upstream/UpstreamInfo.ts';
import { DEFAULT_TIMEOUTS, type UpstreamTimeouts } from '../upstream/UpstreamTimeouts.ts';
import { checkSameContent } from './checkSameContent.ts';
import type { Media } from './Media.ts';
import { openMedia } from './openMedia.ts';
import type { ParallelSettings } from './ParallelMedia.ts';
import { UpstreamSpeeds } from './UpstreamSpeeds.ts';

/**
 * One `Media` per cache key, opened on first use and shared by every session of that key.
 * A failed open is forgotten (the next request probes again); a stale runtime (content changed)
 * is replaced.
 */
export class MediaRegistry {
  private readonly runtimes = new Map<string, Promise<Media>>();
  /**
   * URLs found to serve a media's content, checked once each per media: a media opened anew
   * (its content changed) checks them again, and they go with the media they were checked for.
   */
  private readonly checked = new WeakMap<Media, Map<string, Promise<void>>>();
  /** How fast each upstream origin delivers, learnt by every media opened here. */
  private readonly speeds = new UpstreamSpeeds();

  constructor(
    private readonly cache: MediaCache,
    private readonly defaults: Pick<ParallelSettings, 'maxRetries' | 'retryDelayMs'> &
      Partial<UpstreamTimeouts> & {
        authFailuresFinal?: boolean;
        /** A media served from storage because its probe failed is probed again after this. */
        revalidateAfterMs?: number;
      },
    /** How every upstream of every runtime is reached (the proxy's `fetch` option). */
    private readonly fetch: UpstreamFetch,
    private readonly onOpen: (runtime: Media) => void = () => undefined,
  ) {}

  async forSession(session: SessionInfo): Promise<Media> {
    const pending = this.runtimes.get(session.cacheKey);
    if (pending) {
      const runtime = await pending.catch(() => null);
      if (runtime && !runtime.stale && !runtime.closed && !this.revalidate(runtime)) {
        // Sessions sharing a cache key may carry other URLs (signed, expiring) or headers: a URL
        // new to this media is probed first, and takes over only if it serves the same content.
        await this.adopt(runtime, session);
        // Deleted from the cache meanwhile (cache.delete/clear): the key starts fresh.
        if (runtime.mode === 'parallel') await runtime.recache();
        return runtime;
      }
      if (this.runtimes.get(session.cacheKey) !== pending) return this.forSession(session);
    }
    const opening = openMedia(
      session.cacheKey,
      this.upstreamOf(session),
      this.cache,
      {
        maxRetries: this.defaults.maxRetries,
        retryDelayMs: this.defaults.retryDelayMs,
        chunkSize: session.chunkSize,
        concurrency: session.concurrency,
        prefetch: session.prefetch,
      },
      { authFailuresFinal: this.defaults.authFailuresFinal ?? false },
      this.speeds,
    );
    this.runtimes.set(session.cacheKey, opening);
    opening.then(this.onOpen, () => {
      if (this.runtimes.get(session.cacheKey) === opening) this.runtimes.delete(session.cacheKey);
    });
    return opening;
  }

  /** Let `session`'s upstream serve `runtime` (see `checkSameContent`); it then fetches with it. */
  private async adopt(runtime: Media, session: SessionInfo): Promise<void> {
    const upstream = this.upstreamOf(session);
    if (runtime.mode === 'parallel' && upstream.url !== runtime.upstream.url) {
      const checked = this.checked.get(runtime) ?? new Map<string, Promise<void>>();
      this.checked.set(runtime, checked);
      let check = checked.get(upstream.url);
      if (!check) {
        check = checkSameContent(runtime, upstream);
        checked.set(upstream.url, check);
        check.catch(() => checked.delete(upstream.url)); // a failed check is asked again next time
      }
      await check;
    }
    runtime.upstream = upstream;
  }

  /**
   * Whether `runtime`, served from storage because its probe failed, should be replaced by a
   * fresh probe now: once nobody reads it and `revalidateAfterMs` passed (not on every request: a
   * hung upstream would make each one wait for the header timeout).
   */
  private revalidate(runtime: Media): boolean {
    if (runtime.mode !== 'parallel' || !runtime.servingStored || runtime.readerCount > 0)
      return false;
    if (Date.now() - runtime.openedAt < (this.defaults.revalidateAfterMs ?? 30_000)) return false;
    runtime.close();
    this.runtimes.delete(runtime.key);
    return true;
  }

  private upstreamOf(session: SessionInfo): Upstream {
    const {
      headerTimeoutMs = DEFAULT_TIMEOUTS.headerTimeoutMs,
      stallTimeoutMs = DEFAULT_TIMEOUTS.stallTimeoutMs,
    } = this.defaults;
    return {
      url: session.upstreamUrl,
      headers: session.headers,
      fetch: this.fetch,
      timeouts: { headerTimeoutMs, stallTimeoutMs },
    };
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
