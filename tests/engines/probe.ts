/**
 * Measure what differs between the engines (not a test: it asserts nothing, it prints JSON).
 *
 *   npx vite build && flock /tmp/browser.lock npx tsx tests/engines/probe.ts [engine…] [--keepalive]
 *
 * Per engine, on the demo app (dist/) and a local origin: the version; `navigator.storage`,
 * `estimate()`, OPFS in the page and which store the worker opens for `?store=opfs`; how chunks
 * are kept (`storedAs`); `canPlayType` of the samples; the Range requests each engine's
 * `<video>` sends straight to the origin (metadata only, playing to 1 s, a seek to 30 s) and how
 * many bytes it reads through the proxy for the same steps. With `--keepalive`, a ~65 s paced
 * read without pings (does the engine cut a long-lived worker stream?).
 * Engines: chromium, firefox, webkit (the persistent browser), webkit-features (the same with
 * StorageAPI, StorageAPIEstimate and FileSystem turned on).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preview } from 'vite';
import type { CacheUsage, SessionStats } from '../../src/shared/types.ts';
import { type Origin, startOrigin } from '../../tools/origin/index.ts';
import { ENGINES, type EngineBrowser, type EnginePage, openDemo } from './engines.ts';
import { launchWebKit } from './webkit.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLES = ['sample-faststart.mp4', 'sample-moov-end.mp4', 'sample.webm'];

const args = process.argv.slice(2);
const keepAlive = args.includes('--keepalive');
const wanted = args.filter((a) => !a.startsWith('--'));

const launchers: Record<string, (profile: string) => Promise<EngineBrowser>> = {
  ...Object.fromEntries(ENGINES.map((e) => [e.name, e.launch])),
  'webkit-features': (dataDir) =>
    launchWebKit({
      dataDir,
      features: ['+StorageAPI', '+StorageAPIEstimate', '+FileSystem'],
    }),
};

/**
 * tsx (esbuild keepNames) wraps named inner functions in `__name(...)` calls that travel with
 * `fn.toString()`; Playwright's own transform does not. Define it in the page (webkit.ts does).
 */
function defineName(page: EnginePage) {
  return page.evaluate(() => {
    const g = globalThis as unknown as { __name?: (f: unknown) => unknown };
    g.__name ??= (f) => f;
  }, null);
}

/** What the page sees of the storage APIs. */
function pageStorage(page: EnginePage) {
  return page.evaluate(async () => {
    const storage = navigator.storage as StorageManager | undefined;
    const out: Record<string, unknown> = {
      navigatorStorage: storage !== undefined,
      estimate: typeof storage?.estimate,
      persist: typeof storage?.persist,
      getDirectory: typeof storage?.getDirectory,
    };
    try {
      out.estimated = storage?.estimate ? await storage.estimate() : null;
    } catch (e) {
      out.estimated = `${(e as Error).name}: ${(e as Error).message}`;
    }
    try {
      out.persisted = storage?.persisted ? await storage.persisted() : null;
    } catch (e) {
      out.persisted = `${(e as Error).name}: ${(e as Error).message}`;
    }
    try {
      const root = await storage?.getDirectory();
      const file = await root?.getFileHandle('probe', { create: true });
      const writable = await file?.createWritable();
      await writable?.write('x');
      await writable?.close();
      out.opfsInPage = file ? `ok, ${(await file.getFile()).size} byte` : 'no getDirectory';
      await root?.removeEntry('probe');
    } catch (e) {
      out.opfsInPage = `${(e as Error).name}: ${(e as Error).message}`;
    }
    const video = document.createElement('video');
    out.canPlay = {
      mp4: video.canPlayType('video/mp4; codecs="avc1.64001F, mp4a.40.2"'),
      webm: video.canPlayType('video/webm; codecs="vp9, opus"'),
    };
    return out;
  }, null);
}

/** Play `src` in a new muted `<video>` step by step, calling `mark(step)` after each step. */
async function mediaSteps(page: EnginePage, src: string, mark: (step: string) => Promise<void>) {
  const step = (name: string, to?: number, seek?: number) =>
    page.evaluate(
      async ({ src, name, to, seek }) => {
        const w = window as unknown as { probeVideo?: HTMLVideoElement };
        let v = w.probeVideo;
        if (!v) {
          v = document.createElement('video');
          v.muted = true;
          v.preload = 'metadata';
          document.body.append(v);
          w.probeVideo = v;
        }
        const video = v;
        const event = (type: string) =>
          new Promise<void>((resolve, reject) => {
            video.addEventListener(type, () => resolve(), { once: true });
            video.addEventListener(
              'error',
              () => reject(new Error(`media error ${video.error?.code} ${video.error?.message}`)),
              { once: true },
            );
          });
        if (name === 'metadata') {
          const loaded = event('loadedmetadata');
          video.src = src;
          await loaded;
        }
        if (seek !== undefined && seek !== null) {
          const seeked = event('seeked');
          video.currentTime = seek;
          await seeked;
        }
        if (to !== undefined && to !== null) {
          await new Promise<void>((resolve, reject) => {
            const on = () => {
              if (video.currentTime <= to) return;
              video.removeEventListener('timeupdate', on);
              resolve();
            };
            video.addEventListener('timeupdate', on);
            video.play().catch(reject);
          });
        }
        if (name === 'done') {
          video.pause();
          video.removeAttribute('src');
          video.load();
          video.remove();
          w.probeVideo = undefined;
        }
        return { readyState: video.readyState, buffered: video.buffered.length };
      },
      { src, name, to: to ?? null, seek: seek ?? null },
    );
  await step('metadata');
  await mark('metadata');
  await step('play', 1);
  await mark('play to 1 s');
  await step('seek', 30.5, 30);
  await mark('seek to 30 s, play to 30.5 s');
  await step('done');
}

async function probeMedia(page: EnginePage, origin: Origin) {
  const out: Record<string, unknown> = {};
  for (const name of SAMPLES) {
    const path = `/files/${name}`;
    // Straight from the origin: the engine's own Range requests.
    origin.clearLog();
    let seen = 0;
    const direct: Record<string, unknown> = {};
    try {
      await mediaSteps(page, `${origin.url}${path}?direct`, async (step) => {
        // A probe, not a test: the element may keep a request open, so let it settle a moment.
        await new Promise((r) => setTimeout(r, 1000));
        const entries = origin.log.filter((e) => e.path === path).slice(seen);
        seen += entries.length;
        direct[step] = entries.map(
          (e) =>
            `${e.range ?? 'no Range'} → ${e.status}${e.aborted ? ' aborted' : e.end === null ? ' open' : ''} (${e.bytesSent} B, conn ${e.connId})`,
        );
      });
    } catch (e) {
      direct.error = (e as Error).message;
    }
    // Through the proxy: what the element read from the worker for the same steps.
    const proxied: Record<string, unknown> = {};
    try {
      const session = await page.evaluate(
        (url) => window.chunkwise?.createSession(url, { chunkSize: 256 * 1024 }),
        `${origin.url}${path}?proxied`,
      );
      if (!session) throw new Error('no session');
      await mediaSteps(page, session.url, async (step) => {
        const s = (await page.evaluate(
          (id) => window.chunkwise?.stats(id),
          session.id,
        )) as SessionStats;
        proxied[step] =
          `${s.cacheHitBytes + s.upstreamBytes} B read by the element, ${s.bytesDownloaded} B downloaded, fallbacks ${s.fallbacks}`;
      });
    } catch (e) {
      proxied.error = (e as Error).message;
    }
    out[name] = { direct, proxied };
  }
  return out;
}

async function probeKeepAlive(page: EnginePage, origin: Origin) {
  const size = 13 * 1024 * 1024;
  return page.evaluate(
    async ({ url, size }) => {
      const s = await window.chunkwise?.createSession(url, {
        chunkSize: 256 * 1024,
        concurrency: 2,
        prefetch: 2,
      });
      const started = performance.now();
      let total = 0;
      let error: string | null = null;
      try {
        const reader = (await fetch(s?.url ?? '')).body?.getReader();
        for (;;) {
          const piece = await reader?.read();
          if (!piece || piece.done) break;
          total += piece.value.length;
        }
      } catch (e) {
        error = `${(e as Error).name}: ${(e as Error).message}`;
      }
      return {
        bytes: total,
        of: size,
        seconds: Math.round((performance.now() - started) / 100) / 10,
        error,
      };
    },
    { url: `${origin.url}/synthetic/${size}?seed=90&rate=100000`, size },
  );
}

async function probe(name: string, app: { url: string }, origin: Origin) {
  const launch = launchers[name];
  if (!launch) throw new Error(`unknown engine ${name}`);
  const profile = mkdtempSync(join(tmpdir(), `chunkwise-probe-${name}-`));
  const opfsProfile = mkdtempSync(join(tmpdir(), `chunkwise-probe-${name}-opfs-`));
  const result: Record<string, unknown> = { engine: name };
  let browser = await launch(profile);
  try {
    result.version = browser.version;
    let page = await openDemo(browser, app.url, origin.url);
    await defineName(page);
    result.page = await pageStorage(page);
    result.worker = await page.evaluate(() => window.chunkwise?.cache.usage(), null);
    result.media = await probeMedia(page, origin);
    if (keepAlive) result.keepAliveWithoutPings = await probeKeepAlive(page, origin);
    // Which chunk store the worker opens when asked for OPFS (a new browser: a new worker).
    await browser.close();
    browser = await launch(opfsProfile);
    page = await browser.newPage();
    await page.goto(`${app.url}?origin=${encodeURIComponent(origin.url)}&store=opfs`);
    await page.waitFor(
      'window.chunkwise !== undefined || (window.chunkwiseDemo && window.chunkwiseDemo.error)',
    );
    const usage = (await page.evaluate(
      () => window.chunkwise?.cache.usage(),
      null,
    )) as CacheUsage | null;
    result.workerAskedForOpfs = usage ? { store: usage.store, storedAs: usage.storedAs } : null;
  } catch (e) {
    result.error = (e as Error).stack;
  } finally {
    await browser.close();
    for (const dir of [profile, opfsProfile]) rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

const server = await preview({
  root: ROOT,
  configFile: `${ROOT}vite.config.ts`,
  logLevel: 'warn',
  preview: { port: 0, host: '127.0.0.1', strictPort: false },
});
const appUrl = server.resolvedUrls?.local[0];
if (!appUrl) throw new Error('vite preview did not report a URL');
const origin = await startOrigin({ port: 0 });
try {
  const names = wanted.length > 0 ? wanted : Object.keys(launchers);
  for (const name of names) {
    const engine = ENGINES.find((e) => e.name === name.replace('-features', ''));
    const missing = engine?.missing();
    if (missing) {
      console.log(JSON.stringify({ engine: name, skipped: missing }));
      continue;
    }
    origin.resetKnobs();
    console.log(JSON.stringify(await probe(name, { url: appUrl }, origin), null, 2));
  }
} finally {
  await origin.close();
  await server.close();
}
