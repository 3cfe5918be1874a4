import type {
  Request as ClientRequest,
  SessionInfo,
  SessionOptions,
  SessionStats,
} from '../shared/protocol.ts';
import { MediaCache } from './cache/MediaCache.ts';
import { type MigrationReport, migrateMedia } from './cache/migrateMedia.ts';
import { DEFAULT_BUDGET } from './cache/resolveBudget.ts';
import { ProxyError } from './errors/ProxyError.ts';
import { buildResponse, rangeBounds } from './http/buildResponse.ts';
import { errorResponse } from './http/errorResponse.ts';
import { parseRange } from './http/parseRange.ts';
import { redactUrls } from './http/redactUrls.ts';
import { resolveRedactedKey } from './http/resolveRedactedKey.ts';
import { MediaRegistry } from './media/MediaRegistry.ts';
import type { ParallelMedia } from './media/ParallelMedia.ts';
import { DownloadManager } from './offline/DownloadManager.ts';
import { createChunkedBody } from './serve/createChunkedBody.ts';
import { readStoredBody } from './serve/readStoredBody.ts';
import { serveSingle } from './serve/serveSingle.ts';
import { checkInteger } from './session/checkInteger.ts';
import { checkRequest } from './session/checkRequest.ts';
import { IdleMediaCloser } from './session/IdleMediaCloser.ts';
import { type MediaUse, MediaUsers } from './session/MediaUsers.ts';
import { DEFAULT_SESSION_TTL_MS, SessionRegistry } from './session/SessionRegistry.ts';
import { SESSION_LIMITS } from './session/sessionLimits.ts';
import { collectStats } from './stats/collectStats.ts';
import { StatsBroadcaster } from './stats/StatsBroadcaster.ts';
import type { Storage, StoreChoice } from './store/openStorage.ts';
import type { SettingsStore } from './store/SettingsStore.ts';
import { globalUpstreamFetch, type UpstreamFetch } from './upstream/UpstreamFetch.ts';
import { DEFAULT_TIMEOUTS } from './upstream/UpstreamTimeouts.ts';

export interface StreamProxyOptions {
  /** Path prefix of stream URLs (default `/stream/`). */
  streamPrefix?: string;
  /**
   * This worker's origin (default `location.origin`): a session may not use one of its own
   * stream URLs as its upstream.
   */
  origin?: string;
  /** A session unused for this long is deleted (default 24 h since its last use). */
  sessionTtlMs?: number;
  /**
   * A media nobody reads or downloads is closed after this long (default 60 s); the next
   * request opens it again with one probe.
   */
  mediaIdleMs?: number;
  /** Defaults for sessions that do not set their own. */
  chunkSize?: number;
  concurrency?: number;
  prefetch?: number;
  /** Retries of a chunk after a transient failure (default 3). */
  maxRetries?: number;
  /** First retry delay in ms, doubling per retry (default 200). */
  retryDelayMs?: number;
  /**
   * Longest wait in ms for an upstream's response headers, on every request (probe, chunk,
   * direct read); then it is aborted and counts as a transient failure (default 15 000).
   */
  headerTimeoutMs?: number;
  /** Longest wait in ms for the next bytes of an upstream body being read (default 20 000). */
  stallTimeoutMs?: number;
  /**
   * Cache budget in bytes for this installation (default 2 GiB). A budget set from a page
   * (`proxy.cache.setBudget`) is persisted and wins over this default.
   */
  budget?: number;
  /**
   * Where chunks are stored: `indexeddb`, `opfs`, or `auto` (default: the backend the storage
   * benchmark chose, falling back to IndexedDB where OPFS is missing). Sessions and settings
   * always live in IndexedDB.
   */
  store?: StoreChoice;
  /**
   * Treat 401/403 on the probe of a stored media as final (default false): an app that must
   * honour revoked access sets it. Otherwise a stored media stays playable whatever the probe
   * answers, short of a proven content change (README, "Offline policy").
   */
  authFailuresFinal?: boolean;
  /** A media served from storage because its probe failed is probed again after this (30 000). */
  revalidateAfterMs?: number;
  /**
   * How the worker reaches upstreams (default: the global `fetch`). Every upstream request goes
   * through it, so tests can answer them with a scripted upstream.
   */
  fetch?: UpstreamFetch;
}

/** Defaults picked from the measurements in BENCHMARKS.md. */
export const DEFAULTS = {
  streamPrefix: '/stream/',
  chunkSize: 1024 * 1024,
  concurrency: 4,
  prefetch: 8,
  maxRetries: 3,
  retryDelayMs: 200,
  headerTimeoutMs: DEFAULT_TIMEOUTS.headerTimeoutMs, // 15 s
  stallTimeoutMs: DEFAULT_TIMEOUTS.stallTimeoutMs, // 20 s
  budget: DEFAULT_BUDGET,
  sessionTtlMs: DEFAULT_SESSION_TTL_MS,
  mediaIdleMs: 60_000,
} as const;

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
        return new Response(null, { status: 405, headers: { Allow: 'GET, HEAD' } });
      }
      session = await this.sessions.get(id);
      this.broadcaster.remember(session);
      use = this.users.enter(session.id, session.cacheKey);
      for (let attempt = 0; ; attempt++) {
        const runtime = await this.media.forSession(session);
        this.cache.touch(runtime.key);
        if (runtime.mode === 'single') return await serveSingle(runtime, request);
        try {
          return await this.serveParallel(runtime, request, use);
        } catch (error) {
          // The upstream changed under us before this response sent a byte: the old chunks are
          // dropped, so re-probe once and serve the new content.
          const changed = error instanceof ProxyError && error.code === 'content-changed';
          if (!changed || attempt > 0) throw error;
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

  private async serveParallel(
    runtime: ParallelMedia,
    request: Request,
    use: MediaUse,
  ): Promise<Response> {
    const size = runtime.size;
    const range = parseRange(request.headers.get('Range'), size);
    const meta = { size, contentType: runtime.contentType, download: request.mode === 'navigate' };
    const bounds = rangeBounds(range, size);
    if (request.method === 'HEAD' || bounds === null)
      return buildResponse(range, meta, null, request.method);
    const stored = await readStoredBody(runtime, bounds.start, bounds.end);
    if (stored) return buildResponse(range, meta, stored, request.method);
    const body = await createChunkedBody(runtime, bounds.start, bounds.end);
    return buildResponse(range, meta, use.hold(body), request.method);
  }

  async createSession(
    url: string,
    options?: SessionOptions,
    flags?: { revealUrls?: boolean },
  ): Promise<SessionInfo> {
    const session = await this.sessions.create(url, options, flags);
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
   * Answer one page request (see `src/shared/protocol.ts`). `extend` keeps the worker alive for
   * work that outlives the reply (a download for offline).
   */
  async handleMessage(
    message: ClientRequest,
    extend: (work: Promise<unknown>) => void = () => undefined,
  ): Promise<unknown> {
    message = checkRequest(message);
    // Any page of the origin may ask: URLs lose their query strings unless it asks for them.
    const reveal = message.revealUrls === true;
    switch (message.type) {
      case 'createSession':
        return this.createSession(message.url, message.options, { revealUrls: reveal });
      case 'closeSession':
        return this.closeSession(message.id);
      case 'stats': {
        const stats = await this.stats(message.id);
        return reveal ? stats : redactUrls(stats);
      }
      case 'ping':
        return 'pong';
      case 'cacheList':
        return reveal ? this.cache.list() : redactUrls(this.cache.list());
      case 'cacheUsage':
        return this.cache.usage();
      case 'cacheDelete':
        return this.cache.delete(this.storedKey(message.key));
      case 'cacheClear':
        await this.cache.clear();
        await this.sessions.clear();
        return;
      case 'cacheVerify':
        return this.cache.verify();
      case 'setBudget': {
        const bytes = checkInteger('bytes', message.bytes, SESSION_LIMITS.budget);
        await this.settings.set('budget', bytes);
        await this.cache.setBudget(bytes);
        return this.cache.usage();
      }
      case 'download': {
        const target = message.target;
        const session = target.includes('://')
          ? this.sessions.draft(target, message.options)
          : await this.sessions.get(target);
        const { job, progress } = await this.downloads.start(session, message.jobId);
        extend(job.done);
        // A media opened for the download alone is closed once idle after it.
        const after = () => {
          if (this.users.count(session.cacheKey) === 0) this.idle.unused(session.cacheKey);
        };
        job.done.then(after, after);
        return progress;
      }
      case 'cancelDownload':
        return this.downloads.cancel(message.jobId);
      case 'unpin':
        return this.downloads.unpin(this.storedKey(message.key));
      default:
        throw new ProxyError(
          'bad-request',
          {},
          `Unknown message type ${(message as { type: string }).type}.`,
        );
    }
  }

  /** The cache key a page means: as stored, or as `cache.list()` showed it (query stripped). */
  private storedKey(given: string): string {
    return resolveRedactedKey(
      given,
      this.cache.list().map((entry) => entry.key),
    );
  }
}
