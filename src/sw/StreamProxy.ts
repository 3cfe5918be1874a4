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
import { MediaRegistry } from './media/MediaRegistry.ts';
import type { ParallelMedia } from './media/ParallelMedia.ts';
import { DownloadManager } from './offline/DownloadManager.ts';
import { createChunkedBody } from './serve/createChunkedBody.ts';
import { readStoredBody } from './serve/readStoredBody.ts';
import { serveSingle } from './serve/serveSingle.ts';
import { SessionRegistry } from './session/SessionRegistry.ts';
import { collectStats } from './stats/collectStats.ts';
import { StatsBroadcaster } from './stats/StatsBroadcaster.ts';
import type { Storage, StoreChoice } from './store/openStorage.ts';
import type { SettingsStore } from './store/SettingsStore.ts';
import { globalUpstreamFetch, type UpstreamFetch } from './upstream/UpstreamFetch.ts';

export interface StreamProxyOptions {
  /** Path prefix of stream URLs (default `/stream/`). */
  streamPrefix?: string;
  /** Defaults for sessions that do not set their own. */
  chunkSize?: number;
  concurrency?: number;
  prefetch?: number;
  /** Retries of a chunk after a transient failure (default 3). */
  maxRetries?: number;
  /** First retry delay in ms, doubling per retry (default 200). */
  retryDelayMs?: number;
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
  budget: DEFAULT_BUDGET,
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
    this.sessions = new SessionRegistry(storage.sessions, o, o.streamPrefix);
    this.broadcaster = new StatsBroadcaster(this.sessions, () => this.media, cache.storeKind);
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
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return new Response(null, { status: 405, headers: { Allow: 'GET, HEAD' } });
      }
      const session = await this.sessions.get(id);
      this.broadcaster.remember(session);
      for (let attempt = 0; ; attempt++) {
        const runtime = await this.media.forSession(session);
        this.cache.touch(runtime.key);
        if (runtime.mode === 'single') return await serveSingle(runtime, request);
        try {
          return await this.serveParallel(runtime, request);
        } catch (error) {
          // The upstream changed under us before this response sent a byte: the old chunks are
          // dropped, so re-probe once and serve the new content.
          const changed = error instanceof ProxyError && error.code === 'content-changed';
          if (!changed || attempt > 0) throw error;
        }
      }
    } catch (error) {
      return errorResponse(error);
    }
  }

  private async serveParallel(runtime: ParallelMedia, request: Request): Promise<Response> {
    const size = runtime.size;
    const range = parseRange(request.headers.get('Range'), size);
    const meta = { size, contentType: runtime.contentType };
    const bounds = rangeBounds(range, size);
    if (request.method === 'HEAD' || bounds === null)
      return buildResponse(range, meta, null, request.method);
    const stored = await readStoredBody(runtime, bounds.start, bounds.end);
    if (stored) return buildResponse(range, meta, stored, request.method);
    const body = await createChunkedBody(runtime, bounds.start, bounds.end);
    return buildResponse(range, meta, body, request.method);
  }

  async createSession(url: string, options?: SessionOptions): Promise<SessionInfo> {
    const session = await this.sessions.create(url, options);
    this.broadcaster.remember(session);
    // As the old design did at session start: make sure we are within the (browser's) budget.
    await this.cache.refreshBudget();
    return session;
  }

  /** Forget the session; abort its media's downloads unless another session still reads it. */
  async closeSession(id: string): Promise<void> {
    const session = await this.sessions.delete(id);
    if (!session) throw new ProxyError('session-not-found', { id });
    this.broadcaster.forget(session);
    // A download for offline of the same media keeps it open, like another session would.
    const inUse =
      this.downloads.isActive(session.cacheKey) ||
      (await this.sessions.anyWithKey(session.cacheKey));
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
    switch (message.type) {
      case 'createSession':
        return this.createSession(message.url, message.options);
      case 'closeSession':
        return this.closeSession(message.id);
      case 'stats':
        return this.stats(message.id);
      case 'ping':
        return 'pong';
      case 'cacheList':
        return this.cache.list();
      case 'cacheUsage':
        return this.cache.usage();
      case 'cacheDelete':
        return this.cache.delete(message.key);
      case 'cacheClear':
        return this.cache.clear();
      case 'cacheVerify':
        return this.cache.verify();
      case 'setBudget': {
        if (!Number.isSafeInteger(message.bytes) || message.bytes < 0) {
          throw new ProxyError(
            'bad-request',
            {},
            'The budget must be a non-negative integer of bytes.',
          );
        }
        await this.settings.set('budget', message.bytes);
        await this.cache.setBudget(message.bytes);
        return this.cache.usage();
      }
      case 'download': {
        const target = message.target;
        const session = target.includes('://')
          ? this.sessions.draft(target, message.options)
          : await this.sessions.get(target);
        const { job, progress } = await this.downloads.start(session, message.jobId);
        extend(job.done);
        return progress;
      }
      case 'cancelDownload':
        return this.downloads.cancel(message.jobId);
      case 'unpin':
        return this.downloads.unpin(message.key);
      default:
        throw new ProxyError(
          'bad-request',
          {},
          `Unknown message type ${(message as { type: string }).type}.`,
        );
    }
  }
}
