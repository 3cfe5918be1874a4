import {
  type CacheEntry,
  type CacheUsage,
  type Request as ClientRequest,
  DOWNLOAD_CHANNEL,
  type DownloadOptions,
  type DownloadProgress,
  type Reply,
  type ReplyError,
  type SessionInfo,
  type SessionOptions,
  type SessionStats,
  STATS_CHANNEL,
  type StoreRepair,
} from '../shared/protocol.ts';

export interface RegisterOptions {
  /** URL of the worker script (default `/sw.js`). */
  scriptUrl?: string;
  /** Registration scope (default `/`). */
  scope?: string;
  /** How long to wait for the worker to control the page before failing (default 10 s). */
  controlTimeoutMs?: number;
  /**
   * How long a request waits for the worker's answer before rejecting with `worker-timeout`
   * (default 30 s): a worker stopped or crashed mid-request never answers.
   */
  callTimeoutMs?: number;
  /**
   * Ask for full URLs, query strings included, in stats, `cache.list()` and error messages
   * (default false: signed URLs are reported without their query strings). Sessions this
   * client creates then broadcast their stats with full URLs too.
   */
  revealUrls?: boolean;
}

/** The page side of the proxy. Every method talks to the controlling worker. */
export interface StreamProxyClient {
  /** Create a session on `url`; point a `<video src>` at the returned `url`. */
  createSession(url: string, options?: SessionOptions): Promise<SessionInfo>;
  /** Abort the session's downloads and forget it; its cached chunks stay. */
  closeSession(id: string): Promise<void>;
  /** The session's stats now. */
  stats(id: string): Promise<SessionStats>;
  /** Stats pushed by the worker as they change (at most a few per second per media). */
  onStats(listener: (stats: SessionStats) => void): () => void;
  /**
   * Ping the worker every 20 s while `media` plays: Firefox kills script-generated streams of an
   * idle-looking worker after ~30 s (README "Platform facts"). Returns a function that stops it.
   */
  keepAlive(media: HTMLMediaElement): () => void;
  /**
   * Download every missing chunk of `urlOrSessionId` for offline use (same scheduler and
   * concurrency as playback) and pin the media so LRU never evicts it. Rejects with code
   * `over-budget` (nothing evicted) when the pinned media would exceed the budget.
   */
  download(urlOrSessionId: string, options?: DownloadOptions): Promise<DownloadHandle>;
  /** Let LRU evict `key` again. */
  unpin(key: string): Promise<void>;
  readonly cache: CacheApi;
  readonly registration: ServiceWorkerRegistration;
}

/** A running download for offline. */
export interface DownloadHandle {
  jobId: string;
  key: string;
  /** Progress as it was when the download started. */
  initial: DownloadProgress;
  /** Called with every progress event of this download (bytes, chunks, rate, ETA, state). */
  onProgress(listener: (progress: DownloadProgress) => void): () => void;
  /** Resolves with the last progress event once the download is done, cancelled or failed. */
  finished: Promise<DownloadProgress>;
  cancel(): Promise<void>;
}

/** Cache management. */
export interface CacheApi {
  /** Every media in LRU order (the first loses chunks first). */
  list(): Promise<CacheEntry[]>;
  usage(): Promise<CacheUsage>;
  /** Remove a media's chunks; a playback of it goes on without caching. */
  delete(key: string): Promise<boolean>;
  clear(): Promise<void>;
  /** Recount stored chunks against the index and repair drift. */
  verify(): Promise<StoreRepair>;
  /** Set (and persist) this installation's budget in bytes; evicts down to it. */
  setBudget(bytes: number): Promise<CacheUsage>;
}

/**
 * Raised when a request fails. `code` is the worker's error code (`bad-request`,
 * `session-not-found`, `session-credentials-lost`, `over-budget`…), a platform error's name
 * (`QuotaExceededError`, `AbortError`…), or one of the client's own: `unsupported`,
 * `uncontrolled`, `worker-timeout` (no answer within `callTimeoutMs`), `message-error` (the
 * answer could not be deserialized).
 */
export class StreamProxyError extends Error {
  override readonly name = 'StreamProxyError';
  constructor(
    readonly code: string,
    message: string,
    /** The worker's details, e.g. `{ field: 'chunkSize', min: 65536, max: 67108864 }`. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * The error a failed reply describes. Its code is a string: a worker of an older version sent
 * `DOMException.code` (a legacy number, 22 for a quota error) where the name was meant.
 */
function replyError(error: ReplyError): StreamProxyError {
  const legacy = error as { code: unknown; name?: unknown };
  const code =
    typeof legacy.code === 'string' && legacy.code !== ''
      ? legacy.code
      : typeof legacy.name === 'string' && legacy.name !== ''
        ? legacy.name
        : 'internal';
  return new StreamProxyError(code, String(error.message), error.details);
}

/**
 * Register the Chunkwise worker and resolve once it controls this page (media requests only
 * reach a controlling worker). A hard reload leaves a page uncontrolled by design; the worker is
 * then asked to claim it, and if it cannot, this rejects saying so.
 */
export async function registerStreamProxy(
  options: RegisterOptions = {},
): Promise<StreamProxyClient> {
  if (!('serviceWorker' in navigator)) {
    throw new StreamProxyError(
      'unsupported',
      'Service workers are not available (insecure origin or private mode?).',
    );
  }
  const sw = navigator.serviceWorker;
  const scriptUrl = options.scriptUrl ?? '/sw.js';
  const registration = await sw.register(scriptUrl, {
    scope: options.scope ?? '/',
  });
  await sw.ready;
  // Uncontrolled (first load, hard reload), or controlled by a worker of another script URL (the
  // page asked for a different one, e.g. another `?store=`): wait for ours to take control.
  const wanted = new URL(scriptUrl, location.href).href;
  if (!sw.controller || sw.controller.scriptURL !== wanted) {
    const controlled = new Promise<void>((resolve) =>
      sw.addEventListener('controllerchange', () => resolve(), { once: true }),
    );
    registration.active?.postMessage({ chunkwise: { type: 'ping' } satisfies ClientRequest }, [
      new MessageChannel().port2,
    ]);
    const timeout = options.controlTimeoutMs ?? 10_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new StreamProxyError(
              'uncontrolled',
              'The service worker does not control this page (after a hard reload, reload normally).',
            ),
          ),
        timeout,
      );
    });
    await Promise.race([controlled, expired]).finally(() => clearTimeout(timer));
  }
  return createClient(registration, options);
}

function createClient(
  registration: ServiceWorkerRegistration,
  options: RegisterOptions,
): StreamProxyClient {
  const timeoutMs = options.callTimeoutMs ?? 30_000;
  const flags = options.revealUrls === true ? { revealUrls: true } : {};
  const call = <T>(request: ClientRequest): Promise<T> => {
    const worker = navigator.serviceWorker.controller ?? registration.active;
    if (!worker)
      return Promise.reject(new StreamProxyError('uncontrolled', 'No active service worker.'));
    const { port1, port2 } = new MessageChannel();
    return new Promise<T>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        port1.onmessage = null;
        port1.onmessageerror = null;
        port1.close();
      };
      // A worker stopped or crashed mid-request never answers: the page must not wait forever.
      const timer = setTimeout(() => {
        settle();
        reject(
          new StreamProxyError(
            'worker-timeout',
            `The service worker did not answer ${request.type} within ${timeoutMs} ms.`,
          ),
        );
      }, timeoutMs);
      port1.onmessage = (event: MessageEvent<Reply>) => {
        settle();
        if (event.data.ok) resolve(event.data.value as T);
        else reject(replyError(event.data.error));
      };
      port1.onmessageerror = () => {
        settle();
        reject(
          new StreamProxyError(
            'message-error',
            `The service worker's answer to ${request.type} could not be deserialized.`,
          ),
        );
      };
      try {
        worker.postMessage({ chunkwise: { ...request, ...flags } }, [port2]);
      } catch (error) {
        settle();
        reject(error);
      }
    });
  };
  const channel = new BroadcastChannel(STATS_CHANNEL);
  const downloads = new BroadcastChannel(DOWNLOAD_CHANNEL);
  const onDownload = (jobId: string, listener: (p: DownloadProgress) => void) => {
    const handler = (event: MessageEvent<DownloadProgress>) => {
      if (event.data.jobId === jobId) listener(event.data);
    };
    downloads.addEventListener('message', handler);
    return () => downloads.removeEventListener('message', handler);
  };
  return {
    registration,
    cache: {
      list: () => call({ type: 'cacheList' }),
      usage: () => call({ type: 'cacheUsage' }),
      delete: (key) => call({ type: 'cacheDelete', key }),
      clear: () => call({ type: 'cacheClear' }),
      verify: () => call({ type: 'cacheVerify' }),
      setBudget: (bytes) => call({ type: 'setBudget', bytes }),
    },
    async download(urlOrSessionId, options = {}) {
      const target =
        urlOrSessionId.includes('/') && !urlOrSessionId.includes('://')
          ? new URL(urlOrSessionId, location.href).href
          : urlOrSessionId;
      // Listen before asking: a download with nothing missing ends before the reply arrives.
      const jobId = crypto.randomUUID();
      let end: (p: DownloadProgress) => void = () => undefined;
      const finished = new Promise<DownloadProgress>((resolve) => {
        end = resolve;
      });
      const stop = onDownload(jobId, (p) => {
        if (p.state === 'running') return;
        stop();
        end(p);
      });
      let initial: DownloadProgress;
      try {
        initial = await call<DownloadProgress>({ type: 'download', target, options, jobId });
      } catch (error) {
        stop();
        throw error;
      }
      if (initial.state !== 'running') {
        stop();
        end(initial);
      }
      return {
        jobId: initial.jobId,
        key: initial.key,
        initial,
        finished,
        onProgress: (listener) => onDownload(initial.jobId, listener),
        cancel: () => call({ type: 'cancelDownload', jobId: initial.jobId }),
      };
    },
    unpin: (key) => call({ type: 'unpin', key }),

    createSession: (url, options = {}) =>
      call({ type: 'createSession', url: new URL(url, location.href).href, options }),
    closeSession: (id) => call({ type: 'closeSession', id }),
    stats: (id) => call({ type: 'stats', id }),
    onStats(listener) {
      const handler = (event: MessageEvent<SessionStats>) => listener(event.data);
      channel.addEventListener('message', handler);
      return () => channel.removeEventListener('message', handler);
    },
    keepAlive(media) {
      let timer: ReturnType<typeof setInterval> | null = null;
      const stop = () => {
        if (timer !== null) clearInterval(timer);
        timer = null;
      };
      const start = () => {
        stop();
        timer = setInterval(() => void call({ type: 'ping' }).catch(() => undefined), 20_000);
      };
      media.addEventListener('playing', start);
      media.addEventListener('pause', stop);
      media.addEventListener('ended', stop);
      if (!media.paused) start();
      return () => {
        stop();
        media.removeEventListener('playing', start);
        media.removeEventListener('pause', stop);
        media.removeEventListener('ended', stop);
      };
    },
  };
}
