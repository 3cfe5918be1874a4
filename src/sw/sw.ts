/// <reference lib="webworker" />
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { installStreamProxy } from './installStreamProxy.ts';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Parameters<typeof precacheAndRoute>[0];
};

// Wiring only. The stream proxy's fetch listener goes first so `/stream/` never reaches Workbox.
// The demo lets anyone compare the chunk backends: `?store=indexeddb|opfs` on the page is passed
// on as a query of this script's URL (src/app/main.ts).
const store = new URL(self.location.href).searchParams.get('store');
installStreamProxy({ store: store === 'opfs' || store === 'indexeddb' ? store : 'auto' });
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Take control on first load (README "Platform facts"): a page is only proxied once it is controlled.
self.addEventListener('install', () => {
  void self.skipWaiting();
});
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});
