/// <reference lib="webworker" />
import { installStreamProxy } from 'chunkwise/sw';

declare const self: ServiceWorkerGlobalScope;

// All it takes: the proxy answers /stream/<id> and the page's calls.
installStreamProxy();

// Control pages on first load (a page is only proxied once a worker controls it).
self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
