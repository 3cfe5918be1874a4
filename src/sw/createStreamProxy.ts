/// <reference lib="webworker" />
import { MESSAGE_KEY } from '../shared/channels.ts';
import type { Reply } from '../shared/methods.ts';
import { checkProxyOptions } from './checkProxyOptions.ts';
import { ProxyError } from './errors/ProxyError.ts';
import { toReplyError } from './errors/toReplyError.ts';
import { errorResponse } from './http/errorResponse.ts';
import { dispatchCall } from './messages/dispatchCall.ts';
import { createMessageHandlers } from './messages/messageHandlers.ts';
import { StreamProxy } from './StreamProxy.ts';
import type { StreamProxyOptions } from './StreamProxyOptions.ts';
import { openStorage } from './store/openStorage.ts';

declare const self: ServiceWorkerGlobalScope;

/** The proxy inside a service worker, for glue code to route events to. */
export interface StreamProxyWorker {
  /** Whether `url` is one of the proxy's stream URLs (this origin, under the stream prefix). */
  matches(url: URL): boolean;
  /** Answer a stream request. Never rejects: every failure is an HTTP response (4xx/5xx). */
  handleFetch(request: Request): Promise<Response>;
  /**
   * Answer a page's call if `event` carries one (`{ chunkwise: … }` with a reply port) and
   * return true; return false and leave any other message alone.
   */
  handleMessage(event: ExtendableMessageEvent): boolean;
  /** Resolves once storage is open; rejects when it cannot open (the next event tries again). */
  readonly ready: Promise<void>;
  /**
   * Stop the proxy for good: from now on it matches no request and answers no message (they
   * reach whatever else handles them), and its timers and channels stop.
   */
  close(): Promise<void>;
}

/**
 * Create the stream proxy of this service worker without touching its events: route them to it
 * yourself (`installStreamProxy` does it with listeners, `chunkwise/workbox` with routes).
 * Storage starts opening at once, in the background (`ready`). Stream URLs live under the
 * worker's scope (`<scope>stream/<id>` by default). Throws `ProxyError` `bad-request` naming the
 * field when an option is out of its bounds.
 */
export function createStreamProxy(options: StreamProxyOptions = {}): StreamProxyWorker {
  checkProxyOptions(options);
  const prefix = streamPath(options.streamPrefix, self.registration.scope);
  let proxy: Promise<StreamProxy> | null = null;
  let closed = false;
  const open = () => {
    proxy ??= openStorage(options.store).then((storage) =>
      StreamProxy.open(storage, {
        ...options,
        streamPrefix: prefix,
        origin: options.origin ?? self.location.origin,
      }),
    );
    // A failed start (IndexedDB refused, say) is retried by the next event, not cached forever.
    proxy.catch(() => {
      proxy = null;
    });
    return proxy;
  };
  const handlers = createMessageHandlers(async () => (await open()).messageTargets(), {
    claim: () => self.clients.claim(),
  });
  const ready = open().then(() => undefined);
  ready.catch(() => undefined); // reported by the events that need it

  return {
    ready,
    matches: (url) =>
      !closed && url.origin === self.location.origin && url.pathname.startsWith(prefix),
    handleFetch: (request) =>
      open().then((p) => p.handle(request, p.match(new URL(request.url)) ?? ''), errorResponse),
    handleMessage(event) {
      const call = (event.data as Record<string, unknown> | null)?.[MESSAGE_KEY];
      const port = event.ports[0];
      if (closed || call === undefined || !port) return false;
      const reveal = (call as { revealUrls?: unknown } | null)?.revealUrls === true;
      const fail = (error: unknown) =>
        port.postMessage({ ok: false, error: toReplyError(error, reveal) } satisfies Reply);
      const work = dispatchCall(handlers, call, (more) => event.waitUntil(more));
      event.waitUntil(
        work.then((value) => {
          try {
            port.postMessage({ ok: true, value } satisfies Reply);
          } catch (error) {
            fail(error); // a value that cannot be cloned (DataCloneError): say so, never hang
          }
        }, fail),
      );
      return true;
    },
    async close() {
      closed = true;
      const opened = proxy;
      proxy = null;
      (await opened?.catch(() => null))?.release();
    },
  };
}

/**
 * The path stream URLs start with: `streamPrefix` (default `stream/`) resolved against the
 * worker's scope. It must end with `/` and not be the scope itself (which would take every
 * request of the app, its shell included).
 */
function streamPath(streamPrefix: string | undefined, scope: string): string {
  const path = new URL(streamPrefix ?? 'stream/', scope).pathname;
  if (path.endsWith('/') && path !== new URL(scope).pathname) return path;
  throw new ProxyError(
    'bad-request',
    { field: 'streamPrefix' },
    `streamPrefix must name a folder under the worker's scope, ending with "/" (got ${JSON.stringify(streamPrefix)}, which is ${path}).`,
  );
}
