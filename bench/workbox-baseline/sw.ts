import { clientsClaim } from 'workbox-core';
import { RangeRequestsPlugin } from 'workbox-range-requests';
import { registerRoute } from 'workbox-routing';
import { CacheOnly } from 'workbox-strategies';
import { MEDIA_CACHE, MEDIA_PREFIX } from './names.ts';

/**
 * The baseline worker: what a Workbox app does today for media it cached whole. Range requests
 * under `/media/` are answered by `RangeRequestsPlugin` (a 206 sliced from the cached `Blob`);
 * requests without `Range` get the cached 200 as it is.
 */
const worker = self as unknown as { skipWaiting(): Promise<void> };
void worker.skipWaiting();
clientsClaim();

registerRoute(
  ({ url }) => url.pathname.startsWith(MEDIA_PREFIX),
  new CacheOnly({ cacheName: MEDIA_CACHE, plugins: [new RangeRequestsPlugin()] }),
);
