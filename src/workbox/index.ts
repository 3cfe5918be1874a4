/// <reference lib="webworker" />
/**
 * `chunkwise/workbox`: the stream proxy as Workbox routes, for the many PWAs built on Workbox.
 * Register them with `workbox-routing`'s `registerRoute` beside your other routes; precaching,
 * strategies and lifecycle (`clientsClaim`, `skipWaiting`) stay yours.
 */
import type { RouteHandlerCallback, RouteMatchCallback } from 'workbox-core';
import { Route } from 'workbox-routing';
import { createStreamProxy, type StreamProxyWorker } from '../sw/createStreamProxy.ts';
import type { StreamProxyOptions } from '../sw/StreamProxyOptions.ts';

declare const self: ServiceWorkerGlobalScope;

/** A match callback and a handler for the proxy's stream URLs, typed as `workbox-core`'s. */
export interface StreamRouteCallbacks {
  match: RouteMatchCallback;
  handler: RouteHandlerCallback;
}

/** The callbacks that route `proxy`'s stream URLs: for building your own `Route`. */
export function streamRouteCallbacks(proxy: StreamProxyWorker): StreamRouteCallbacks {
  return {
    match: ({ url }) => proxy.matches(url),
    handler: ({ request }) => proxy.handleFetch(request),
  };
}

/**
 * Create the stream proxy and the two routes that serve it, `GET` and `HEAD` (a Workbox route
 * matches one method), and listen for the page client's messages:
 *
 * ```ts
 * for (const route of streamProxyRoutes({ budget: 1 << 30 })) registerRoute(route);
 * ```
 *
 * Register them before any catch-all route. Give an existing `StreamProxyWorker` (from
 * `createStreamProxy`) instead of options to share it; then its messages are yours to route.
 */
export function streamProxyRoutes(from: StreamProxyOptions | StreamProxyWorker = {}): Route[] {
  const proxy = isWorker(from) ? from : createStreamProxy(from);
  if (!isWorker(from)) self.addEventListener('message', (event) => proxy.handleMessage(event));
  const { match, handler } = streamRouteCallbacks(proxy);
  return [new Route(match, handler, 'GET'), new Route(match, handler, 'HEAD')];
}

function isWorker(value: StreamProxyOptions | StreamProxyWorker): value is StreamProxyWorker {
  return typeof (value as Partial<StreamProxyWorker>).handleFetch === 'function';
}

export type { StreamProxyOptions, StreamProxyWorker };
