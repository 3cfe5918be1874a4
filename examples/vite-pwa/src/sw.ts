/// <reference lib="webworker" />
import { streamProxyRoutes } from 'chunkwise/workbox';
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Parameters<typeof precacheAndRoute>[0];
};

// The stream proxy: two routes (GET and HEAD of /stream/<id>) beside your own.
for (const route of streamProxyRoutes({ budget: 512 * 1024 * 1024 })) registerRoute(route);

// Your Workbox setup, unchanged: precached app shell, lifecycle.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
void self.skipWaiting();
clientsClaim();
