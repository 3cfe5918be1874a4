/// <reference lib="webworker" />
import { createStreamProxy, type StreamProxyWorker } from './createStreamProxy.ts';
import type { StreamProxyOptions } from './StreamProxyOptions.ts';

declare const self: ServiceWorkerGlobalScope;

/**
 * Install the stream proxy in this service worker, no Workbox needed: a `fetch` listener that
 * answers the stream URLs (`<scope>stream/<id>`) and leaves every other request alone, so other
 * listeners still get them, and a `message` listener for the page's client. Call it at the top
 * level of the worker script, before other fetch listeners.
 */
export function installStreamProxy(options: StreamProxyOptions = {}): StreamProxyWorker {
  const proxy = createStreamProxy(options);
  self.addEventListener('fetch', (event) => {
    if (proxy.matches(new URL(event.request.url)))
      event.respondWith(proxy.handleFetch(event.request));
  });
  self.addEventListener('message', (event) => {
    proxy.handleMessage(event);
  });
  return proxy;
}
