import type { Page } from '@playwright/test';
import type { StoreOption } from '../../tests/browser/support/fixtures.ts';
import {
  createSession,
  sessionStats,
  waitForStoredChunks,
} from '../../tests/browser/support/inPage.ts';
import { stopWorkers } from '../../tests/browser/support/stopWorkers.ts';
import { alternate, paired } from '../alternate.ts';
import { assertStore, type BenchBrowser, withBenchBrowser } from '../launchBenchBrowser.ts';
import { median } from '../median.ts';
import { closeSession } from '../page/closeSession.ts';
import { timedFetch } from '../page/timedFetch.ts';
import { timedRanges } from '../page/timedRanges.ts';
import { pairedRow, type Row } from '../Row.ts';
import type { Scenario, ScenarioContext } from '../Scenario.ts';
import { ServiceWorkerTarget } from '../ServiceWorkerTarget.ts';
import { sampleWorkerHeap } from '../sampleWorkerHeap.ts';
import { seededRanges } from '../seededRanges.ts';
import { GiB, KiB, MiB, mbps, size } from '../units.ts';

/** The per-connection rate of the throttled cold read (S1's). */
const RATE = 2_000_000;
const RANGE = 1 * MiB;
/** Chunk size of the media stored for the reopen workload (small, so 1000 chunks fill fast). */
const REOPEN_CHUNK = 64 * KiB;
/** Worker restarts timed per state of the reopen workload (their median is the round's figure). */
const RESTARTS = 3;

/** What a proxy session said about a cold read (anything but zeros is worth a look). */
interface ReadStats {
  store: string;
  mode: string;
  retries: number;
  fallbacks: number;
  storageFailures: number;
  uncachedChunks: number;
}

async function readStats(page: Page, id: string, store: StoreOption): Promise<ReadStats> {
  const s = await sessionStats(page, id);
  // The session's own view of the backend: a second harness check beside `cache.usage()`.
  if (s.store !== store)
    throw new Error(`s8: session stats say ${s.store}, the run asked ${store}`);
  return {
    store: s.store,
    mode: s.mode,
    retries: s.retries,
    fallbacks: s.fallbacks,
    storageFailures: s.storageFailures,
    uncachedChunks: s.uncachedChunks,
  };
}

/** A cold read of `url` (nothing stored) through a new session: MB/s and the session's stats. */
async function coldRead(
  ctx: ScenarioContext,
  b: BenchBrowser,
  url: string,
  bytes: number,
  settings: { concurrency: number; prefetch: number },
): Promise<{ mbps: number; id: string; url: string; stats: ReadStats }> {
  await ctx.servers.origin.whenIdle();
  const session = await createSession(b.app, url, settings);
  const r = await timedFetch(b.app, session.url, { status: 200, bytes });
  const stats = await readStats(b.app, session.id, b.store);
  return { mbps: mbps(bytes, r.ms), id: session.id, url: session.url, stats };
}

interface ThroughputRun {
  cold: number;
  warmWhole: number;
  warmWholeReads: number[];
  warmRanges: number;
  coldStats: ReadStats;
}

/**
 * One fresh profile: a cold unthrottled read of `url`, then (once every chunk is stored) three
 * whole-file replays (their median) and one pass of 1 MiB ranges at seeded offsets.
 */
function throughput(
  ctx: ScenarioContext,
  store: StoreOption,
  url: string,
  bytes: number,
  ranges: [number, number][],
): Promise<ThroughputRun> {
  return withBenchBrowser(
    ctx.servers,
    async (b) => {
      ctx.sawBrowser(b.version);
      const cold = await coldRead(ctx, b, url, bytes, { concurrency: 4, prefetch: 8 });
      const total = Math.ceil(bytes / MiB);
      await waitForStoredChunks(b.app, cold.id, total);
      const warmWholeReads: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await timedFetch(b.app, cold.url, { status: 200, bytes });
        warmWholeReads.push(mbps(bytes, r.ms));
      }
      const rr = await timedRanges(b.app, cold.url, ranges);
      await assertStore(b.app, store, 's8 throughput');
      await closeSession(b.app, cold.id);
      return {
        cold: cold.mbps,
        warmWhole: median(warmWholeReads),
        warmWholeReads,
        warmRanges: mbps(rr.bytes, rr.ms),
        coldStats: cold.stats,
      };
    },
    store,
  );
}

const THROTTLED_CONCURRENCY = 4;

interface ThrottledRun {
  mbps: number;
  stats: ReadStats;
  /** Diagnostic: see `slotIdlePerChunk`. */
  slotIdleMsPerChunk: number;
}

/**
 * From the origin's log of one cold read's chunk requests: how long, on average per chunk, a
 * download slot sat idle between the first request's start and the last response's end
 * (`span × concurrency − Σ response durations`, over the number of chunks). With an upstream
 * that paces every response this is the time the proxy takes between one chunk's last byte and
 * its slot's next request: where a slow store write would show on a network-bound read.
 */
function slotIdlePerChunk(chunks: { start: number; end: number | null }[]): number {
  const done = chunks.filter((e): e is { start: number; end: number } => e.end !== null);
  if (done.length === 0) return Number.NaN;
  const span = Math.max(...done.map((e) => e.end)) - Math.min(...done.map((e) => e.start));
  const busy = done.reduce((n, e) => n + (e.end - e.start), 0);
  return (span * THROTTLED_CONCURRENCY - busy) / done.length;
}

/** One fresh profile: a cold read through an upstream that paces each connection at `RATE`. */
function throttled(
  ctx: ScenarioContext,
  store: StoreOption,
  url: string,
  bytes: number,
): Promise<ThrottledRun> {
  return withBenchBrowser(
    ctx.servers,
    async (b) => {
      ctx.sawBrowser(b.version);
      const { origin } = ctx.servers;
      origin.setKnobs('/synthetic/', { rate: RATE });
      try {
        const before = origin.log.length;
        const r = await coldRead(ctx, b, url, bytes, {
          concurrency: THROTTLED_CONCURRENCY,
          prefetch: 2 * THROTTLED_CONCURRENCY,
        });
        const path = new URL(url).pathname;
        const chunks = origin.log
          .slice(before)
          .filter((e) => e.path === path && e.method === 'GET' && e.range !== 'bytes=0-0');
        await assertStore(b.app, store, 's8 throttled');
        await closeSession(b.app, r.id);
        return { mbps: r.mbps, stats: r.stats, slotIdleMsPerChunk: slotIdlePerChunk(chunks) };
      } finally {
        origin.resetKnobs();
      }
    },
    store,
  );
}

interface MemoryRun {
  mbps: number;
  peakUsed: number;
  peakUsedPlusBacking: number;
  afterGc: number;
  samples: number;
  stats: ReadStats;
}

/** One fresh profile: stream `bytes` cold through a new session, sampling the worker heap (S7's way). */
function memory(
  ctx: ScenarioContext,
  store: StoreOption,
  url: string,
  bytes: number,
): Promise<MemoryRun> {
  return withBenchBrowser(
    ctx.servers,
    async (b) => {
      ctx.sawBrowser(b.version);
      const worker = await ServiceWorkerTarget.attach(b.browser, ctx.servers.appUrl);
      try {
        await ctx.servers.origin.whenIdle();
        const session = await createSession(b.app, url);
        const sampler = sampleWorkerHeap(worker, 200);
        const r = await timedFetch(b.app, session.url, { status: 200, bytes });
        const samples = await sampler.stop();
        const stats = await readStats(b.app, session.id, store);
        await worker.send('HeapProfiler.collectGarbage');
        const gc = await worker.send<{ usedSize: number; backingStorageSize?: number }>(
          'Runtime.getHeapUsage',
        );
        await assertStore(b.app, store, 's8 memory');
        await closeSession(b.app, session.id);
        return {
          mbps: mbps(bytes, r.ms),
          peakUsed: Math.max(...samples.map((s) => s.used)),
          peakUsedPlusBacking: Math.max(...samples.map((s) => s.used + s.backing)),
          afterGc: gc.usedSize + (gc.backingStorageSize ?? 0),
          samples: samples.length,
          stats,
        };
      } finally {
        await worker.detach();
      }
    },
    store,
  );
}

interface ReopenRun {
  /** Chunks stored when the small state was timed, and its restarts (ms to the last byte). */
  fewChunks: number;
  fewMs: number[];
  /** The same after filling the store up to `manyChunks`. */
  manyChunks: number;
  manyMs: number[];
  /** What the origin saw during each timed read (a stored range needs at most the probe). */
  originRequests: string[][];
  /**
   * Diagnostic: ms for the page to walk the backend's chunks as its `listChunks()` does (every
   * chunk's size: the keys of IndexedDB's `extents` (a cursor over `chunks` before schema 4), or
   * every OPFS chunk file's `getFile()`), with
   * all `manyChunks` stored. Measured in the page, not in the worker: the order of magnitude of
   * the listing part of a reopen.
   */
  pageListingMs: number[];
  pageListedChunks: number;
}

/** Walk every stored chunk of `store` from the page, reading each one's size; ms and count. */
async function listFromPage(
  page: Page,
  store: StoreOption,
): Promise<{ ms: number; chunks: number }> {
  return page.evaluate(async (store) => {
    const t0 = performance.now();
    let chunks = 0;
    if (store === 'opfs') {
      const root = await (await navigator.storage.getDirectory()).getDirectoryHandle(
        'chunkwise-opfs',
      );
      type Entries = AsyncIterable<[string, FileSystemHandle]>;
      for await (const [, media] of root as unknown as Entries) {
        if (media.kind !== 'directory') continue;
        const dir = media as FileSystemDirectoryHandle;
        const meta = await dir
          .getFileHandle('meta.json')
          .then((h) => h.getFile())
          .then((f) => f.text())
          .catch(() => null);
        if (meta === null) continue;
        const version = await dir.getDirectoryHandle(`v${JSON.parse(meta).version}`);
        const sizes: Promise<number>[] = [];
        for await (const [name, h] of version as unknown as Entries) {
          if (h.kind !== 'file' || !/^(0|[1-9]\d*)$/.test(name)) continue;
          sizes.push((h as FileSystemFileHandle).getFile().then((f) => f.size));
        }
        chunks += (await Promise.all(sizes)).length;
      }
    } else {
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('chunkwise');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          if (open.result.objectStoreNames.contains('extents')) {
            // Schema 4: the keys of `extents` alone, `[key, index, count, chunkSize, size]`.
            const keys = open.result.transaction('extents').objectStore('extents').getAllKeys();
            keys.onsuccess = () => {
              for (const key of keys.result as number[][]) chunks += key[2] ?? 0;
              open.result.close();
              resolve();
            };
            keys.onerror = () => reject(keys.error);
            return;
          }
          // Before: every record of `chunks`, its Blob's size.
          const tx = open.result.transaction('chunks', 'readonly');
          const cursor = tx.objectStore('chunks').openCursor();
          cursor.onsuccess = () => {
            const c = cursor.result;
            if (!c) return;
            if ((c.value as { data: Blob }).data.size >= 0) chunks++;
            c.continue();
          };
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      });
    }
    return { ms: performance.now() - t0, chunks };
  }, store);
}

/**
 * One fresh profile: store media for offline (`download`, 64 KiB chunks), stop the worker with
 * CDP (`ServiceWorker.stopAllWorkers`), then time the page's first range of a stored chunk: the
 * fetch wakes a new worker, which opens its storage and rebuilds the cache index from the store's
 * `listChunks()` before answering. Timed with `few` chunks stored, then again after filling the
 * store to `many` chunks (over several media), `RESTARTS` times each.
 */
function reopen(
  ctx: ScenarioContext,
  store: StoreOption,
  seed: number,
  few: number,
  many: number,
): Promise<ReopenRun> {
  return withBenchBrowser(
    ctx.servers,
    async (b) => {
      ctx.sawBrowser(b.version);
      const { origin } = ctx.servers;
      const download = async (chunks: number, mediaSeed: number) => {
        const url = `${origin.url}/synthetic/${chunks * REOPEN_CHUNK}?seed=${mediaSeed}`;
        const done = await b.app.evaluate(
          async ({ url, chunk }) => {
            const job = await window.chunkwise?.download({ url }, { chunkSize: chunk });
            return job?.finished;
          },
          { url, chunk: REOPEN_CHUNK },
        );
        if (done?.state !== 'done' || done.storedChunks !== chunks)
          throw new Error(`s8 reopen: download ${done?.state}, ${done?.storedChunks}/${chunks}`);
        return url;
      };
      const storedChunks = async () => {
        const list = await b.app.evaluate(() => window.chunkwise?.cache.list());
        return (list ?? []).reduce((n, e) => n + e.storedChunks, 0);
      };
      const first = await download(few, seed);
      const session = await createSession(b.app, first, { chunkSize: REOPEN_CHUNK });
      const streamUrl = session.url;
      const range = `bytes=0-${REOPEN_CHUNK - 1}`;
      const originRequests: string[][] = [];
      const restarts = async () => {
        const ms: number[] = [];
        for (let i = 0; i < RESTARTS; i++) {
          await origin.whenIdle();
          await stopWorkers(b.app);
          const before = origin.log.length;
          const r = await timedFetch(b.app, streamUrl, { status: 206, bytes: REOPEN_CHUNK }, range);
          originRequests.push(
            origin.log.slice(before).map((e) => `${e.method} ${e.range ?? 'no range'} ${e.status}`),
          );
          ms.push(r.ms);
          await assertStore(b.app, store, 's8 reopen');
        }
        return ms;
      };
      const fewChunks = await storedChunks();
      const fewMs = await restarts();
      // Fill up to `many` over media of at most 250 chunks each.
      let left = many - fewChunks;
      let k = 1;
      while (left > 0) {
        const n = Math.min(250, left);
        await download(n, seed * 100 + k++);
        left -= n;
      }
      const manyChunks = await storedChunks();
      if (manyChunks !== many)
        throw new Error(`s8 reopen: ${manyChunks} chunks stored, want ${many}`);
      const manyMs = await restarts();
      const pageListingMs: number[] = [];
      let pageListedChunks = 0;
      for (let i = 0; i < RESTARTS; i++) {
        const l = await listFromPage(b.app, store);
        pageListingMs.push(l.ms);
        pageListedChunks = l.chunks;
      }
      return {
        fewChunks,
        fewMs,
        manyChunks,
        manyMs,
        originRequests,
        pageListingMs,
        pageListedChunks,
      };
    },
    store,
  );
}

/**
 * S8: the two chunk backends on the same workloads. Every measurement runs in a fresh browser
 * profile with the worker asked for one backend (`?store=`), checked through `cache.usage()` and
 * the session stats; each round measures IndexedDB then OPFS back to back (A B A B …), and each
 * row is OPFS against IndexedDB (the Proxy column is OPFS, the Baseline column IndexedDB).
 */
export const s8StorageBackends: Scenario = {
  id: 's8',
  title: 'Storage backends: IndexedDB vs OPFS',
  async run(ctx) {
    const { quick, pairs } = ctx.options;
    const coldBytes = quick ? 16 * MiB : 64 * MiB;
    const throttledBytes = 16 * MiB;
    const longBytes = quick ? 256 * MiB : 1 * GiB;
    const rangeCount = quick ? 16 : 32;
    const fewChunks = 16;
    const manyChunks = 1000;
    const { origin } = ctx.servers;
    origin.resetKnobs();
    const stores: StoreOption[] = ['indexeddb', 'opfs'];
    // `S8_WORKLOADS=throttled,reopen` runs only some workloads (e.g. more pairs of a few rows).
    const all = ['throughput', 'throttled', 'memory', 'reopen'] as const;
    const wanted = process.env.S8_WORKLOADS?.split(',').map((w) => w.trim()) ?? [...all];
    for (const w of wanted)
      if (!(all as readonly string[]).includes(w))
        throw new Error(`S8_WORKLOADS: unknown workload ${w} (${all.join(', ')})`);
    const runs = (w: (typeof all)[number]) => wanted.includes(w);
    const synthetic = (bytes: number, seed: number) =>
      `${origin.url}/synthetic/${bytes}?seed=${seed}`;
    const log = (what: string, store: StoreOption, round: number, text: string) =>
      ctx.log(`s8 round ${round + 1} ${what} ${store}: ${text}`);

    // Each round: one seed shared by both backends (fresh profiles, so both read it cold).
    const raw = {
      throughput: {} as Record<StoreOption, ThroughputRun[]>,
      throttled: {} as Record<StoreOption, ThrottledRun[]>,
      memory: {} as Record<StoreOption, MemoryRun[]>,
      reopen: {} as Record<StoreOption, ReopenRun[]>,
    };
    for (const s of stores) {
      raw.throughput[s] = [];
      raw.throttled[s] = [];
      raw.memory[s] = [];
      raw.reopen[s] = [];
    }
    const seeds: number[] = [];
    const seedOf = (round: number) => {
      while (seeds.length <= round) seeds.push(ctx.freshSeed());
      return seeds[round] as number;
    };
    const rangesOf = (round: number) => seededRanges(seedOf(round), rangeCount, RANGE, coldBytes);
    const round = { indexeddb: 0, opfs: 0 };
    const step = (store: StoreOption) => async () => {
      const r = round[store]++;
      const seed = seedOf(r);
      if (runs('throughput')) {
        const t = await throughput(ctx, store, synthetic(coldBytes, seed), coldBytes, rangesOf(r));
        raw.throughput[store].push(t);
        log(
          'throughput',
          store,
          r,
          `cold ${t.cold.toFixed(1)} MB/s, warm whole ${t.warmWhole.toFixed(0)} MB/s (${t.warmWholeReads.map((v) => v.toFixed(0)).join(', ')}), warm ranges ${t.warmRanges.toFixed(0)} MB/s, ${JSON.stringify(t.coldStats)}`,
        );
      }
      if (runs('throttled')) {
        const th = await throttled(
          ctx,
          store,
          synthetic(throttledBytes, seed + 1_000_000),
          throttledBytes,
        );
        raw.throttled[store].push(th);
        log(
          'throttled',
          store,
          r,
          `${th.mbps.toFixed(2)} MB/s, slot idle ${th.slotIdleMsPerChunk.toFixed(0)} ms per chunk, ${JSON.stringify(th.stats)}`,
        );
      }
      if (runs('memory')) {
        const m = await memory(ctx, store, synthetic(longBytes, seed + 2_000_000), longBytes);
        raw.memory[store].push(m);
        log(
          'memory',
          store,
          r,
          `${m.mbps.toFixed(1)} MB/s, peak JS heap ${(m.peakUsed / MiB).toFixed(2)} MiB, with ArrayBuffers ${(m.peakUsedPlusBacking / MiB).toFixed(1)} MiB, after GC ${(m.afterGc / MiB).toFixed(2)} MiB, ${m.samples} samples, ${JSON.stringify(m.stats)}`,
        );
      }
      if (runs('reopen')) {
        const ro = await reopen(ctx, store, seed + 3_000_000, fewChunks, manyChunks);
        raw.reopen[store].push(ro);
        log(
          'reopen',
          store,
          r,
          `${ro.fewChunks} chunks: ${ro.fewMs.map((v) => v.toFixed(0)).join(', ')} ms; ${ro.manyChunks} chunks: ${ro.manyMs.map((v) => v.toFixed(0)).join(', ')} ms; page-side listing of ${ro.pageListedChunks} chunks ${ro.pageListingMs.map((v) => v.toFixed(0)).join(', ')} ms; origin saw ${JSON.stringify(ro.originRequests[0])}`,
        );
      }
      return 0;
    };
    await alternate(pairs, [
      ['indexeddb', step('indexeddb')],
      ['opfs', step('opfs')],
    ]);

    const pick = <T>(runs: Record<StoreOption, T[]>, f: (t: T) => number) =>
      paired(runs.opfs.map(f), runs.indexeddb.map(f));
    const row = (measure: string, unit: string, p: ReturnType<typeof paired>, note?: string) => {
      const r = pairedRow('S8', measure, unit, 'IndexedDB', p);
      if (note) r.note = note;
      return r;
    };
    const rows: Row[] = [];
    if (runs('throughput'))
      rows.push(
        row(
          `cold whole ${size(coldBytes)}, unthrottled (OPFS)`,
          'MB/s',
          pick(raw.throughput, (t) => t.cold),
        ),
        row(
          `warm whole ${size(coldBytes)} replay (OPFS)`,
          'MB/s',
          pick(raw.throughput, (t) => t.warmWhole),
        ),
        row(
          `warm ${rangeCount} × ${size(RANGE)} random ranges (OPFS)`,
          'MB/s',
          pick(raw.throughput, (t) => t.warmRanges),
        ),
      );
    if (runs('throttled'))
      rows.push(
        row(
          `cold whole ${size(throttledBytes)}, ${RATE / 1e6} MB/s per connection, concurrency ${THROTTLED_CONCURRENCY} (OPFS)`,
          'MB/s',
          pick(raw.throttled, (t) => t.mbps),
        ),
        row(
          `diagnostic: download slot idle per chunk, throttled read (OPFS)`,
          'ms',
          pick(raw.throttled, (t) => t.slotIdleMsPerChunk),
          "Not a proxy figure: from the origin log of the throttled read, (span × 4 connections − the responses' durations) / chunks: the mean time a download slot waited between chunks (store writes, scheduling). Lower is better.",
        ),
      );
    if (runs('memory'))
      rows.push(
        row(
          `peak worker JS heap, ${size(longBytes)} streamed (OPFS)`,
          'MiB',
          pick(raw.memory, (m) => m.peakUsed / MiB),
        ),
        row(
          `peak JS heap + ArrayBuffers, ${size(longBytes)} streamed (OPFS)`,
          'MiB',
          pick(raw.memory, (m) => m.peakUsedPlusBacking / MiB),
        ),
        row(
          `cold ${size(longBytes)} stream, unthrottled (OPFS)`,
          'MB/s',
          pick(raw.memory, (m) => m.mbps),
        ),
      );
    if (runs('reopen'))
      rows.push(
        row(
          `reopen: first 64 KiB range after a worker restart, ${fewChunks} chunks stored (OPFS)`,
          'ms',
          pick(raw.reopen, (r) => median(r.fewMs)),
        ),
        row(
          `reopen: first 64 KiB range after a worker restart, ${manyChunks} chunks stored (OPFS)`,
          'ms',
          pick(raw.reopen, (r) => median(r.manyMs)),
        ),
        row(
          `diagnostic: the page walks the ${manyChunks} chunks as listChunks() does (OPFS)`,
          'ms',
          pick(raw.reopen, (r) => median(r.pageListingMs)),
          "Not a proxy figure: the page (not the worker) reads every stored chunk's size the way the backend's listChunks() does (IndexedDB: the keys of the extents store, or a cursor over the chunks store before schema 4; OPFS getFile() on every chunk file), median of 3; the order of magnitude of the listing inside a reopen.",
        ),
      );
    return {
      settings: [
        `${wanted.length < all.length ? `only ${wanted.join(', ')} (S8_WORKLOADS); ` : ''}each measurement in a fresh browser profile, IndexedDB then OPFS in every round (${pairs} rounds); Proxy column = OPFS, Baseline = IndexedDB, ratio = OPFS / IndexedDB (MB/s rows: above 1 OPFS is faster; MiB and ms rows: below 1 OPFS does better).`,
        runs('throughput') &&
          `Cold: a new ${size(coldBytes)} synthetic file, unthrottled, then (same profile, all chunks stored) 3 whole replays (median) and ${rangeCount} × 1 MiB ranges at seeded offsets.`,
        runs('throttled') &&
          `Throttled: a new ${size(throttledBytes)} file at ${RATE / 1e6} MB/s per connection, concurrency ${THROTTLED_CONCURRENCY}, prefetch ${2 * THROTTLED_CONCURRENCY}.`,
        runs('memory') &&
          `Memory: ${size(longBytes)} streamed cold, worker heap sampled every 200 ms (CDP).`,
        runs('reopen') &&
          `Reopen: ${fewChunks} then ${manyChunks} chunks of ${size(REOPEN_CHUNK)} stored by download(), worker stopped by CDP, time of the first range (median of ${RESTARTS} restarts).`,
        'Proxy defaults otherwise (chunk 1 MiB, concurrency 4, prefetch 8).',
      ]
        .filter(Boolean)
        .join(' '),
      rows,
      raw: {
        coldBytes,
        throttledBytes,
        longBytes,
        rangeCount,
        fewChunks,
        manyChunks,
        workloads: wanted,
        seeds,
        ...raw,
      },
    };
  },
};
