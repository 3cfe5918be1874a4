import { MEDIA_CACHE, MEDIA_PREFIX } from './names.ts';

/**
 * The baseline's page. `window.workboxBench.store(upstreamUrl, name)` downloads the upstream's
 * full response and puts it into Cache Storage as `/media/<name>`; fetches of that path (with or
 * without `Range`) are then answered by the worker. `ready` resolves once the worker controls
 * the page.
 */
declare global {
  interface Window {
    workboxBench: {
      ready: Promise<void>;
      store(upstreamUrl: string, name: string): Promise<{ path: string; size: number }>;
    };
  }
}

async function controlled(): Promise<void> {
  const sw = navigator.serviceWorker;
  await sw.register('/sw.js', { type: 'module', scope: '/' });
  await sw.ready;
  if (sw.controller) return;
  await new Promise<void>((resolve) =>
    sw.addEventListener('controllerchange', () => resolve(), { once: true }),
  );
}

async function store(upstreamUrl: string, name: string): Promise<{ path: string; size: number }> {
  const upstream = await fetch(upstreamUrl, { cache: 'no-store' });
  if (upstream.status !== 200) throw new Error(`upstream answered ${upstream.status}`);
  const path = `${MEDIA_PREFIX}${name}`;
  // A same-origin copy of the full response (streamed into the cache, never held in memory),
  // with the headers a media response carries.
  const headers = new Headers({
    'Content-Type': upstream.headers.get('Content-Type') ?? 'application/octet-stream',
    'Accept-Ranges': 'bytes',
  });
  const length = upstream.headers.get('Content-Length');
  if (length !== null) headers.set('Content-Length', length);
  const cache = await caches.open(MEDIA_CACHE);
  await cache.put(path, new Response(upstream.body, { status: 200, headers }));
  const blob = await (await cache.match(path))?.blob();
  return { path, size: blob?.size ?? -1 };
}

window.workboxBench = { ready: controlled(), store };
