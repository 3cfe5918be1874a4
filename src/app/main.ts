import './localeGuard.ts';
import {
  registerStreamProxy,
  type SessionStats,
  type StreamProxyClient,
  StreamProxyError,
} from 'chunkwise/client';
import { catalog, type MediaItem } from './catalog.ts';
import { bytes, hideTokens, rate } from './format.ts';
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

/** Tell the user something worth announcing (a polite live region). */
function announce(text: string): void {
  $('announcer').textContent = hideTokens(text);
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
    bar.uncontrolled(uncontrolledReason(error));
    // A worker still installing may take control later: start again then.
    navigator.serviceWorker?.addEventListener('controllerchange', () => location.reload(), {
      once: true,
    });
    return;
  }
  window.chunkwise = proxy;
  bar.watchUpdates(proxy.registration);
  status.textContent = 'The service worker controls this page.';

  const map = new ChunkMap($<HTMLCanvasElement>('chunk-map'), $('chunk-summary'));
  const graph = new RateGraph($('rate-graph'));
  const player = new PlayerView(
    proxy,
    $<HTMLVideoElement>('video'),
    $('stored-bar'),
    $('comparison'),
    $('caption'),
    sessionOptions,
  );
  const library = new LibraryView(proxy, $('library'), {
    play: (item) => void play(item, 'proxy'),
    items,
    options: sessionOptions,
    changed: () => void storage.refresh(),
    announce,
  });
  const storage = new StorageView(proxy, $('storage'), () => void library.refresh());
  const refresh = async () => {
    await Promise.all([library.refresh(), storage.refresh()]);
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

  let latest: SessionStats | null = null;
  const showSessionStats = (stats: SessionStats) => {
    if (stats.id !== player.sessionId) return;
    // The worker closes a media nobody used for a while; its stats then say nothing of the
    // chunks: keep what was drawn.
    if (stats.activity === null && latest?.activity) return;
    if (stats.chunks.stored !== latest?.chunks.stored) refreshSoon();
    latest = stats;
    map.show(stats);
    graph.update(stats);
    player.update(stats);
    showStats(stats);
  };
  proxy.onStats(showSessionStats);
  // Serving from the cache pushes no stats: ask once a second while a session plays.
  setInterval(() => {
    const id = player.sessionId;
    if (id && !document.hidden) void proxy.stats(id).then(showSessionStats, () => undefined);
  }, 1000);

  const play = async (item: MediaItem, mode: 'proxy' | 'direct') => {
    for (const id of ['play-proxy', 'play-direct', 'seek-test'])
      $<HTMLButtonElement>(id).disabled = false;
    latest = null;
    map.show(null);
    graph.update(null);
    showStats(null);
    try {
      await player.play(item, mode);
    } catch (error) {
      announce(`${item.title} could not be played: ${(error as Error).message}`);
    }
    await refresh();
  };
  player.video.addEventListener('timeupdate', () => map.markPlayer(player.playerChunk(latest)));
  player.video.addEventListener('pause', () => void refresh());
  $('play-proxy').addEventListener('click', () => player.item && void play(player.item, 'proxy'));
  $('play-direct').addEventListener('click', () => player.item && void play(player.item, 'direct'));
  $('seek-test').addEventListener('click', () => void player.seekTest());
  $('rate').addEventListener('change', () => void refresh());
  new AddMediaForm(proxy, $<HTMLFormElement>('add-media'), (item) => void play(item, 'proxy'));
  await refresh();
}

/** Why the page is not proxied, in the words that say how to fix it. */
function uncontrolledReason(error: unknown): string {
  const code = error instanceof StreamProxyError ? error.code : 'internal';
  if (code === 'unsupported')
    return 'this browser offers no service workers here: use HTTPS (or localhost) and leave private mode';
  if (code === 'registration-failed')
    return `the browser refused the worker (${(error as Error).message})`;
  if (code === 'uncontrolled')
    return 'after a hard reload (Shift+Reload) a page bypasses service workers by design, or the worker is still installing';
  return (error as Error).message;
}

void main();
