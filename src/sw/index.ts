/**
 * `chunkwise/sw`: the stream proxy, for a service worker. `installStreamProxy` in a plain worker;
 * `createStreamProxy` to route events yourself (`chunkwise/workbox` does it with Workbox routes).
 */
export type { ProxyErrorCode } from '../shared/errorCodes.ts';
export { createStreamProxy, type StreamProxyWorker } from './createStreamProxy.ts';
export { ProxyError, type ProxyErrorDetails } from './errors/ProxyError.ts';
export { installStreamProxy } from './installStreamProxy.ts';
export { DEFAULTS, type StreamProxyOptions } from './StreamProxyOptions.ts';
export type { StoreChoice } from './store/openStorage.ts';
export type { UpstreamFetch } from './upstream/UpstreamFetch.ts';
