import { registerStreamProxy, type SessionStats, type StreamProxyClient } from 'chunkwise/client';

/**
 * The demo page. It exposes its client as `window.chunkwise` (try
 * `await chunkwise.createSession(chunkwiseDemo.origin + '/files/sample.webm')` in the console)
 * and the upstream origin's base URL as `window.chunkwiseDemo.origin` (set with `?origin=`,
 * default: this host on port 8081, where `npm start` runs the local origin).
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

const MEDIA = [
  { label: 'H.264/AAC MP4, faststart', path: '/files/sample-faststart.mp4' },
  { label: 'H.264/AAC MP4, moov at end', path: '/files/sample-moov-end.mp4' },
  { label: 'VP9/Opus WebM', path: '/files/sample.webm' },
];

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const select = $<HTMLSelectElement>('media');
const video = $<HTMLVideoElement>('video');
const status = $<HTMLSpanElement>('status');
const statsView = $<HTMLPreElement>('stats');
for (const m of MEDIA) select.add(new Option(m.label, m.path));

function upstreamUrl(): string {
  const url = new URL(select.value, origin);
  const rate = Number($<HTMLInputElement>('rate').value);
  if (rate > 0) url.searchParams.set('rate', String(rate * 1000));
  return url.href;
}

function show(stats: SessionStats): void {
  const mib = (n: number) => `${(n / 1048576).toFixed(2)} MiB`;
  statsView.textContent = [
    `mode        ${stats.mode}${stats.reason ? ` (${stats.reason})` : ''}`,
    `validation  ${stats.validation}`,
    `size        ${stats.size === null ? '?' : mib(stats.size)} ${stats.contentType ?? ''}`,
    `chunks      ${stats.chunks.stored}/${stats.chunks.total} stored, ${stats.chunks.inFlight} in flight, ${stats.chunks.queued} queued, ${stats.chunks.failed} failed`,
    `downloaded  ${mib(stats.bytesDownloaded)} at ${mib(stats.downloadRate)}/s`,
    `served      ${mib(stats.cacheHitBytes)} from cache, ${mib(stats.upstreamBytes)} straight from upstream`,
    `retries     ${stats.retries}, fallbacks ${stats.fallbacks}, storage failures ${stats.storageFailures}`,
  ].join('\n');
}

async function main(): Promise<void> {
  let proxy: StreamProxyClient;
  try {
    // `?store=indexeddb|opfs` picks the worker's chunk backend (passed on the script URL).
    const store = new URLSearchParams(location.search).get('store');
    const scriptUrl =
      store === 'opfs' || store === 'indexeddb' ? `/sw.js?store=${store}` : '/sw.js';
    // The demo shows full upstream URLs (its own test origin's); apps with signed URLs leave
    // `revealUrls` off so tokens never reach stats, listings or error bodies.
    proxy = await registerStreamProxy({ scriptUrl, revealUrls: true });
  } catch (error) {
    window.chunkwiseDemo.error = (error as Error).message;
    status.textContent = `Not proxied: ${(error as Error).message}`;
    return;
  }
  window.chunkwise = proxy;
  status.textContent = 'Service worker in control.';
  let current: string | null = null;
  proxy.onStats((s) => {
    if (s.id === current) show(s);
  });
  proxy.keepAlive(video);

  const playProxy = $<HTMLButtonElement>('play-proxy');
  const playDirect = $<HTMLButtonElement>('play-direct');
  playProxy.disabled = false;
  playDirect.disabled = false;
  playProxy.onclick = async () => {
    if (current) await proxy.closeSession(current).catch(() => undefined);
    const session = await proxy.createSession(upstreamUrl(), {
      chunkSize: Number($<HTMLInputElement>('chunk').value) * 1024,
      concurrency: Number($<HTMLInputElement>('concurrency').value),
    });
    current = session.id;
    video.src = session.url;
    status.textContent = `Playing ${session.url} ← ${session.upstreamUrl}`;
    await video.play().catch(() => undefined);
  };
  const cacheView = $<HTMLPreElement>('cache');
  const showCache = async () => {
    const [usage, list] = await Promise.all([proxy.cache.usage(), proxy.cache.list()]);
    const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
    cacheView.textContent = [
      `${mib(usage.storedBytes)} stored of a ${mib(usage.budget)} budget`,
      ...list.map(
        (e) =>
          `${e.pinned ? 'pinned ' : '       '}${e.storedChunks}/${e.chunkCount} chunks  ${mib(e.storedBytes)}  ${e.key}`,
      ),
    ].join('\n');
  };
  $<HTMLButtonElement>('refresh-cache').onclick = () => void showCache();
  $<HTMLButtonElement>('clear-cache').onclick = async () => {
    await proxy.cache.clear();
    await showCache();
  };
  const download = $<HTMLButtonElement>('download');
  download.disabled = false;
  download.onclick = async () => {
    const job = await proxy.download(
      { url: upstreamUrl() },
      {
        chunkSize: Number($<HTMLInputElement>('chunk').value) * 1024,
      },
    );
    job.onProgress((p) => {
      status.textContent = `Downloading ${p.key}: ${p.storedChunks}/${p.totalChunks} chunks, ${(p.rate / 1e6).toFixed(1)} MB/s${p.eta === null ? '' : `, ${p.eta.toFixed(0)} s left`} (${p.state})`;
    });
    const last = await job.finished;
    status.textContent = `Download ${last.state}: ${last.storedChunks}/${last.totalChunks} chunks stored (pinned).`;
    await showCache();
  };
  void showCache();

  playDirect.onclick = async () => {
    current = null;
    video.src = upstreamUrl();
    status.textContent = `Playing directly from ${video.src}`;
    await video.play().catch(() => undefined);
  };
}

void main();
