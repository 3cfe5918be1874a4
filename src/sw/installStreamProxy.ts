/// <reference lib="webworker" />
import type { Request as ClientRequest, Reply } from '../shared/protocol.ts';
import { toReplyError } from './errors/toReplyError.ts';
import { errorResponse } from './http/errorResponse.ts';
import { StreamProxy, type StreamProxyOptions } from './StreamProxy.ts';
import { openStorage } from './store/openStorage.ts';

declare const self: ServiceWorkerGlobalScope;

/**
 * Install the stream proxy in this service worker: a `fetch` listener that answers
 * `/stream/<id>` (and leaves every other request alone, so Workbox routes or other listeners
 * still get them) and a `message` listener for the page-side client. Call it at the top level
 * of the worker script, before other fetch listeners. The database opens lazily on first use.
 */
export function installStreamProxy(options: StreamProxyOptions = {}): {
  ready: Promise<StreamProxy>;
} {
  // Stream URLs live under the worker's scope: `<scope>stream/<id>` by default.
  const prefix = new URL(options.streamPrefix ?? 'stream/', self.registration.scope).pathname;
  let proxy: Promise<StreamProxy> | null = null;
  const get = () => {
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

  self.addEventListener('fetch', (event) => {
    const url = new URL(event.request.url);
    if (url.origin !== self.location.origin || !url.pathname.startsWith(prefix)) return;
    event.respondWith(
      get().then((p) => p.handle(event.request, p.match(url) ?? ''), errorResponse),
    );
  });

  self.addEventListener('message', (event) => {
    const data = event.data as { chunkwise?: ClientRequest } | null;
    const port = event.ports[0];
    if (!data?.chunkwise || !port) return;
    const message = data.chunkwise;
    const work =
      message.type === 'ping'
        ? // A ping also asks the worker to control the page that sent it (after a hard reload).
          self.clients.claim().then(() => 'pong')
        : get().then((p) => p.handleMessage(message, (work) => event.waitUntil(work)));
    const fail = (error: unknown) =>
      port.postMessage({
        ok: false,
        error: toReplyError(error, message.revealUrls === true),
      } satisfies Reply);
    event.waitUntil(
      work.then((value) => {
        try {
          port.postMessage({ ok: true, value } satisfies Reply);
        } catch (error) {
          fail(error); // a value that cannot be cloned (DataCloneError): say so, never hang
        }
      }, fail),
    );
  });

  const ready = get();
  ready.catch(() => undefined); // reported by the events that need it
  return { ready };
}
