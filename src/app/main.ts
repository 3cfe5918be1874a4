import { registerStreamProxy, type SessionStats, type StreamProxyClient } from 'chunkwise/client';
import { catalog, type MediaItem } from './catalog.ts';
import { bytes, rate } from './format.ts';
import { AddMediaForm } from './views/AddMediaForm.ts';
import { ChunkMap } from './views/ChunkMap.ts';
import { LibraryView } from './views/LibraryView.ts';
import { PlayerView } from './views/PlayerView.ts';
import { RateGraph } from './views/RateGraph.ts';
import { StatusBar } from './views/StatusBar.ts';
import { StorageView } from './views/StorageView.ts';

/**
 * The demo app, built only on the public entry points. It exposes its client as
 * `window.chunkwise` (try `await chunkwise.createSession(chunkwiseDemo.origin +
 * '/files/sample.webm')` in the console) and the upstream origin's base URL as
 * `window.chunkwiseDemo.origin` (set with `?origin=`, default: this host on port 8081, where
 * `npm start` runs the local origin). Everything is relative to the page, so the build works
 * from any path of a static host.
 */
declare global {
  interface Window {
    chunkwise?: StreamProxyClient;
    chunkwiseDemo: { origin: string; error: string | null };
  }
}

const params = new URLSearchParams(location.search);
const origin = params.get('origin') ?? `${location.protocol}//${location.hostname}:8081`;
window.chunkwiseDemo = { origin, error: null };

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLElement>('status');
const bar = new StatusBar($('connectivity'), $('update'), $('control-notice'));

/** Settings of the sessions the demo creates (from the download settings). */
function sessionOptions(): { chunkSize: number; concurrency: number } {
  return {
    chunkSize: Number($<HTMLInputElement>('chunk').value) * 1024,
    concurrency: Number($<HTMLInputElement>('concurrency').value),
  };
}

/** The catalog, with the origin's per-connection rate cap applied to its samples. */
function items(): MediaItem[] {
  const cap = Number($<HTMLInputElement>('rate').value);
  return catalog(origin).map((item) => {
    if (!(cap > 0) || !item.url.startsWith(origin)) return item;
    const url = new URL(item.url);
    url.searchParams.set('rate', String(cap * 1000));
    return { ...item, url: url.href };
  });
}

function showStats(stats: SessionStats | null): void {
  const view = $<HTMLDListElement>('stats');
  if (!stats) {
    view.replaceChildren();
    return;
  }
  const rows: [string, string][] = [
    ['mode', `${stats.mode}${stats.reason ? ` (${stats.reason})` : ''}`],
    [
      'chunks',
      `${stats.chunks.stored}/${stats.chunks.total} stored, ${stats.chunks.inFlight} in flight (most at once: ${stats.chunks.peakInFlight}), ${stats.chunks.queued} queued`,
    ],
    ['downloaded', `${bytes(stats.bytesDownloaded)} at ${rate(stats.downloadRate)}`],
    [
      'served',
      `${bytes(stats.cacheHitBytes)} from the cache, ${bytes(stats.upstreamBytes)} straight from the upstream`,
    ],
    [
      'retries',
      `${stats.retries}, fallbacks ${stats.fallbacks}, storage failures ${stats.storageFailures}`,
    ],
  ];
  view.replaceChildren(
    ...rows.flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      return [dt, dd];
    }),
  );
}

async function main(): Promise<void> {
  let proxy: StreamProxyClient;
  try {
    // `?store=indexeddb|opfs` picks the worker's chunk backend (passed on the script URL).
    const store = params.get('store');
    const scriptUrl =
      store === 'opfs' || store === 'indexeddb' ? `./sw.js?store=${store}` : './sw.js';
    // The demo shows full upstream URLs (its own test origin's); apps with signed URLs leave
    // `revealUrls` off so tokens never reach stats, listings or error bodies.
    proxy = await registerStreamProxy({ scriptUrl, revealUrls: true });
  } catch (error) {
    const message = (error as Error).message;
    window.chunkwiseDemo.error = message;
    status.textContent = `Not proxied: ${message}`;
    if (navigator.serviceWorker?.controller === null) bar.uncontrolled(message);
    return;
  }
  window.chunkwise = proxy;
  bar.watchUpdates(proxy.registration);
  status.textContent = 'The service worker controls this page.';

  const map = new ChunkMap($<HTMLCanvasElement>('chunk-map'), $('chunk-summary'));
  const graph = new RateGraph($('rate-graph'));
  const storage = new StorageView(proxy, $('storage'));
  const player = new PlayerView(
    proxy,
    $<HTMLVideoElement>('video'),
    $('stored-bar'),
    $('comparison'),
    $('caption'),
    sessionOptions,
  );
  let latest: SessionStats | null = null;
  const refresh = async () => {
    await Promise.all([library.refresh(items()), storage.refresh()]);
  };
  // While chunks land, the library and the storage bar follow (at most once a second).
  let pending = false;
  const refreshSoon = () => {
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      void refresh();
    }, 1000);
  };
  const library = new LibraryView(proxy, $('library'), {
    play: (item) => void play(item, 'proxy'),
    options: sessionOptions,
    changed: () => void storage.refresh(),
  });
  const play = async (item: MediaItem, mode: 'proxy' | 'direct') => {
    for (const id of ['play-proxy', 'play-direct', 'seek-test'])
      $<HTMLButtonElement>(id).disabled = false;
    latest = null;
    map.show(null);
    graph.update(null);
    showStats(null);
    await player.play(item, mode);
    await refresh();
  };
  proxy.onStats((stats) => {
    if (stats.id !== player.sessionId) return;
    if (stats.chunks.stored !== latest?.chunks.stored) refreshSoon();
    latest = stats;
    map.show(stats);
    graph.update(stats);
    player.update(stats);
    showStats(stats);
  });
  player.video.addEventListener('timeupdate', () => map.markPlayer(player.playerChunk(latest)));
  player.video.addEventListener('pause', () => void refresh());
  $('play-proxy').addEventListener('click', () => player.item && void play(player.item, 'proxy'));
  $('play-direct').addEventListener('click', () => player.item && void play(player.item, 'direct'));
  $('seek-test').addEventListener('click', () => void player.seekTest());
  $('rate').addEventListener('change', () => void refresh());
  new AddMediaForm(proxy, $<HTMLFormElement>('add-media'), (item) => void play(item, 'proxy'));
  await refresh();
}

void main();
