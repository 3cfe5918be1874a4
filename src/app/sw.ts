/// <reference lib="webworker" />
import { streamProxyRoutes } from 'chunkwise/workbox';
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Parameters<typeof precacheAndRoute>[0];
};

// The demo's worker is a Workbox worker, as most of our users' are: the stream proxy is two
// routes beside Workbox's precaching, and the lifecycle is Workbox's. The demo lets anyone
// compare the chunk backends: `?store=indexeddb|opfs` on the page is passed on as a query of
// this script's URL (main.ts).
const store = new URL(self.location.href).searchParams.get('store');
for (const route of streamProxyRoutes({
  store: store === 'opfs' || store === 'indexeddb' ? store : 'auto',
}))
  registerRoute(route);
// The app shell is one static page whatever its query (`?origin=`, `?store=`): serve it from the
// precache offline.
precacheAndRoute(self.__WB_MANIFEST, { ignoreURLParametersMatching: [/.*/] });
cleanupOutdatedCaches();

// Take control on first load: a page is only proxied once a worker controls it. A new version
// of this worker waits until the page asks (the app's "Reload to use it" button), so a playback
// is never cut by an update; a worker for another chunk backend (`?store=`) takes over at once.
self.addEventListener('install', () => {
  const active = self.registration.active;
  if (!active || active.scriptURL !== self.location.href) void self.skipWaiting();
});
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
clientsClaim();
