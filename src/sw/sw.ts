/// <reference lib="webworker" />
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { installStreamProxy } from './installStreamProxy.ts';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Parameters<typeof precacheAndRoute>[0];
};

// Wiring only. The stream proxy's fetch listener goes first so `/stream/` never reaches Workbox.
installStreamProxy();
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Take control on first load (PLATFORM.md): a page is only proxied once it is controlled.
self.addEventListener('install', () => {
  void self.skipWaiting();
});
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});
