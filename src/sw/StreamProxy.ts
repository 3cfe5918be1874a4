import type { MethodCall, MethodName, Result } from '../shared/methods.ts';
import type { SessionInfo, SessionOptions, SessionStats } from '../shared/types.ts';
import { MediaCache } from './cache/MediaCache.ts';
import { type MigrationReport, migrateMedia } from './cache/migrateMedia.ts';
import { isQuotaError } from './cache/QuotaBudget.ts';
import { DEFAULT_BUDGET } from './cache/resolveBudget.ts';
import { ProxyError } from './errors/ProxyError.ts';
import { errorResponse } from './http/errorResponse.ts';
import { MediaRegistry } from './media/MediaRegistry.ts';
import { dispatchCall } from './messages/dispatchCall.ts';
import { createMessageHandlers, type MessageTargets } from './messages/messageHandlers.ts';
import { DownloadManager } from './offline/DownloadManager.ts';
import { DEFAULTS, type StreamProxyOptions } from './StreamProxyOptions.ts';
import { serveParallel } from './serve/serveParallel.ts';
import { serveSingle } from './serve/serveSingle.ts';
import { IdleMediaCloser } from './session/IdleMediaCloser.ts';
import { type MediaUse, MediaUsers } from './session/MediaUsers.ts';
import { SessionRegistry } from './session/SessionRegistry.ts';
import { collectStats } from './stats/collectStats.ts';
import { StatsBroadcaster } from './stats/StatsBroadcaster.ts';
import type { Storage } from './store/openStorage.ts';
import type { SettingsStore } from './store/SettingsStore.ts';
import { globalUpstreamFetch } from './upstream/UpstreamFetch.ts';

export { DEFAULTS, type StreamProxyOptions };

/**
 * The proxy: answers `/stream/<id>` requests and the page's messages. The worker glue
 * (`installStreamProxy`) only routes events here. Errors become responses in `handle` alone.
 */
export class StreamProxy {
  readonly prefix: string;
  private readonly sessions: SessionRegistry;
  private readonly media: MediaRegistry;
  private readonly broadcaster: StatsBroadcaster;
  private readonly downloads: DownloadManager;
  private readonly settings: SettingsStore;
  private readonly users: MediaUsers;
  private readonly idle: IdleMediaCloser;

  /**
   * Open the proxy on its storage: the cache budget is the persisted one if a page set it, else
   * `options.budget`, lowered to what the browser grants.
   */
  static async open(storage: Storage, options: StreamProxyOptions = {}): Promise<StreamProxy> {
    const saved = await storage.settings.get('budget');
    const estimator = (globalThis.navigator as { storage?: StorageManager } | undefined)?.storage;
    const cache = await MediaCache.open(
      storage.chunks,
      typeof saved === 'number' ? saved : (options.budget ?? DEFAULT_BUDGET),
      async () => (estimator?.estimate ? estimator.estimate() : null),
    );
    const proxy = new StreamProxy(storage, cache, options);
    await proxy.sessions.sweep(); // sessions that expired while no worker ran
    // The installation switched backends: move what the other one holds, in the background.
    if (storage.previous) proxy.migration = migrateMedia(storage.previous, cache);
    proxy.migration.catch(() => undefined); // a failed move leaves the rest where it was
    return proxy;
  }

  /** The move of the previous backend's media into this one (null when there was none). */
  migration: Promise<MigrationReport | null> = Promise.resolve(null);

  constructor(
    storage: Pick<Storage, 'sessions' | 'settings'>,
    readonly cache: MediaCache,
    options: StreamProxyOptions = {},
  ) {
    const o = { ...DEFAULTS, ...options };
    this.prefix = o.streamPrefix;
    this.settings = storage.settings;
    this.broadcaster = new StatsBroadcaster(() => this.media, cache.storeKind);
    this.sessions = new SessionRegistry(storage.sessions, {
      defaults: o,
      streamPrefix: o.streamPrefix,
      origin:
        o.origin ?? (globalThis as { location?: { origin: string } }).location?.origin ?? null,
      ttlMs: o.sessionTtlMs,
      onForget: (session) => this.broadcaster.forget(session),
    });
    this.idle = new IdleMediaCloser(o.mediaIdleMs, {
      isIdle: (key) => this.mediaIdle(key),
      close: async (key) => {
        if (this.users.count(key) === 0 && !this.downloads.isActive(key))
          await this.media.close(key);
      },
    });
    this.users = new MediaUsers(
      (key) => this.idle.unused(key),
      (key) => this.idle.used(key),
    );
    this.media = new MediaRegistry(cache, o, o.fetch ?? globalUpstreamFetch, (media) =>
      this.broadcaster.watch(media),
    );
    this.downloads = new DownloadManager(this.media, cache);
  }

  /** Stop timers and channels (a test, or a worker glue replacing the proxy, calls it). */
  release(): void {
    this.cache.release();
    this.broadcaster.release();
    this.downloads.release();
    this.idle.release();
  }

  /** What this proxy holds per session and media in memory (for tests and diagnostics). */
  footprint(): { sessions: number; statsSessions: number; mediaUsers: number } {
    return {
      sessions: this.sessions.size,
      statsSessions: this.broadcaster.size,
      mediaUsers: this.users.size,
    };
  }

  /** The session id of a stream URL, or null when `url` is not one of ours. */
  match(url: URL): string | null {
    if (!url.pathname.startsWith(this.prefix)) return null;
    const id = url.pathname.slice(this.prefix.length);
    if (id.length === 0 || id.includes('/')) return null;
    try {
      return decodeURIComponent(id);
    } catch {
      return id; // a malformed escape is just an id no session has: 404 from `handle`
    }
  }

  /** Answer a request for `/stream/<id>`: never throws, every failure is a response. */
  async handle(request: Request, id: string): Promise<Response> {
    let session: SessionInfo | null = null;
    let use: MediaUse | null = null;
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        throw new ProxyError('method-not-allowed', { method: request.method });
      }
      session = await this.sessions.get(id);
      this.broadcaster.remember(session);
      use = this.users.enter(session.id, session.cacheKey);
      for (let attempt = 0; ; attempt++) {
        const runtime = await this.media.forSession(session);
        this.cache.touch(runtime.key);
        try {
          if (runtime.mode === 'single') return await serveSingle(runtime, request);
          return await serveParallel(runtime, request, () => use?.hold() ?? (() => undefined));
        } catch (error) {
          // The upstream changed under us before this response sent a byte: the media is stale
          // (a parallel one's old chunks are dropped), so re-probe once and serve the new content.
          const changed = error instanceof ProxyError && error.code === 'content-changed';
          if (!changed || attempt > 0) throw error;
          // The failed attempt's use is over (a held one ended with its body): the retry is a
          // use of its own, or a body it streams would not keep the media open.
          const spent = use;
          use = this.users.enter(session.id, session.cacheKey);
          spent.leave(); // after the new one: the media never looks unused in between
        }
      }
    } catch (error) {
      return errorResponse(error, session?.revealUrls === true);
    } finally {
      use?.leave(); // (a chunked body held by `use` leaves when it ends)
    }
  }

  /** Whether media `key` is idle: no request, reader, chunk download or download for offline. */
  private async mediaIdle(key: string): Promise<boolean> {
    if (this.users.count(key) > 0 || this.downloads.isActive(key)) return false;
    const runtime = await this.media.peek(key);
    if (runtime?.mode !== 'parallel') return true;
    const { inFlight, queued } = runtime.chunkStates();
    return inFlight === 0 && queued === 0 && runtime.readerCount === 0;
  }

  async createSession(
    url: string,
    options?: SessionOptions,
    flags?: { revealUrls?: boolean },
  ): Promise<SessionInfo> {
    const session = await this.sessions.create(url, options, flags).catch(async (error) => {
      // The browser refused the session record for lack of room: evict as for a chunk, retry once.
      if (!isQuotaError(error) || !(await this.cache.relieveQuota())) throw error;
      return this.sessions.create(url, options, flags);
    });
    this.broadcaster.remember(session);
    // As the old design did at session start: make sure we are within the (browser's) budget.
    await this.cache.refreshBudget();
    return session;
  }

  /**
   * Forget the session; abort its media's downloads unless something live still uses the media:
   * another session's request or reader, or a download for offline. Other sessions on the same
   * key that exist but read nothing now do not count (they reopen the media when they read).
   */
  async closeSession(id: string): Promise<void> {
    const session = await this.sessions.delete(id);
    if (!session) throw new ProxyError('session-not-found', { id });
    const inUse =
      this.downloads.isActive(session.cacheKey) || this.users.count(session.cacheKey, id) > 0;
    if (!inUse) await this.media.close(session.cacheKey);
    this.cache.touch(session.cacheKey);
    await this.cache.persistTouches();
  }

  async stats(id: string): Promise<SessionStats> {
    const session = await this.sessions.get(id);
    return collectStats(session, await this.media.peek(session.cacheKey), this.cache.storeKind);
  }

  /**
   * Answer one page call (`shared/methods.ts`, handlers in `messages/messageHandlers.ts`).
   * `extend` keeps the worker alive for work that outlives the reply (a download for offline).
   */
  handleMessage<M extends MethodName>(
    call: MethodCall<M>,
    extend: (work: Promise<unknown>) => void = () => undefined,
  ): Promise<Result<M>> {
    const handlers = createMessageHandlers(async () => this.messageTargets(), {
      claim: async () => undefined,
    });
    return dispatchCall<M>(handlers, call, extend);
  }

  /** The parts the page's calls act on (`messages/messageHandlers.ts`). */
  messageTargets(): MessageTargets {
    return {
      cache: this.cache,
      sessions: this.sessions,
      settings: this.settings,
      downloads: this.downloads,
      createSession: (url, options, flags) => this.createSession(url, options, flags),
      closeSession: (id) => this.closeSession(id),
      stats: (id) => this.stats(id),
      // A media opened for the download alone is closed once idle after it.
      downloadEnded: (session) => {
        if (this.users.count(session.cacheKey) === 0) this.idle.unused(session.cacheKey);
      },
    };
  }
}
