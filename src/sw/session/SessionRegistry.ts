import type { SessionInfo, SessionOptions } from '../../shared/protocol.ts';
import { ProxyError } from '../errors/ProxyError.ts';
import type { SessionStore } from '../store/SessionStore.ts';

export interface SessionDefaults {
  chunkSize: number;
  concurrency: number;
  prefetch: number;
}

/**
 * Sessions, persisted (`SessionStore`): Chromium stops idle workers and every global is lost, so a
 * `/stream/<id>` request after a restart finds its session here. A memory map spares the
 * database read on the hot path.
 */
export class SessionRegistry {
  private readonly cache = new Map<string, SessionInfo>();

  constructor(
    private readonly store: SessionStore,
    private readonly defaults: SessionDefaults,
    /** URL prefix of stream URLs, e.g. `/stream/`. */
    private readonly streamPrefix: string,
  ) {}

  async create(url: string, options: SessionOptions = {}): Promise<SessionInfo> {
    const session = this.draft(url, options);
    await this.store.put(session);
    this.cache.set(session.id, session);
    return session;
  }

  /** A session for `url` with `options` validated and defaults applied, not stored. */
  draft(url: string, options: SessionOptions = {}): SessionInfo {
    let upstream: URL;
    try {
      upstream = new URL(url);
    } catch {
      throw new ProxyError('bad-request', {}, `Not an absolute URL: ${url}`);
    }
    const positive = (name: string, value: number | undefined, fallback: number) => {
      if (value === undefined) return fallback;
      if (!Number.isSafeInteger(value) || value < 1)
        throw new ProxyError('bad-request', {}, `${name} must be a positive integer.`);
      return value;
    };
    const id = crypto.randomUUID();
    const session: SessionInfo = {
      id,
      url: `${this.streamPrefix}${id}`,
      upstreamUrl: upstream.href,
      cacheKey: options.cacheKey ?? upstream.href,
      headers: { ...(options.headers ?? {}) },
      chunkSize: positive('chunkSize', options.chunkSize, this.defaults.chunkSize),
      concurrency: positive('concurrency', options.concurrency, this.defaults.concurrency),
      prefetch:
        options.prefetch === 0 ? 0 : positive('prefetch', options.prefetch, this.defaults.prefetch),
      createdAt: Date.now(),
    };
    return session;
  }

  /** The session `id`; rejects with `session-not-found` (404) when there is none. */
  async get(id: string): Promise<SessionInfo> {
    const session = this.cache.get(id) ?? (await this.store.get(id));
    if (!session) throw new ProxyError('session-not-found', { id });
    this.cache.set(id, session);
    return session;
  }

  /** Forget session `id`; returns it (or null when unknown). */
  async delete(id: string): Promise<SessionInfo | null> {
    const session = this.cache.get(id) ?? (await this.store.get(id)) ?? null;
    this.cache.delete(id);
    await this.store.delete(id);
    return session;
  }

  /** Whether another session still uses `cacheKey`. */
  async anyWithKey(cacheKey: string): Promise<boolean> {
    const all = await this.store.list();
    return all.some((s) => s.cacheKey === cacheKey);
  }
}
