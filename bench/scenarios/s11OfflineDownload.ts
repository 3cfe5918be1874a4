import type { Page } from '@playwright/test';
import { paired, series } from '../alternate.ts';
import { withBenchBrowser } from '../launchBenchBrowser.ts';
import { pairedRow, type Row, singleRow } from '../Row.ts';
import type { Scenario, ScenarioContext } from '../Scenario.ts';
import { ServiceWorkerTarget } from '../ServiceWorkerTarget.ts';
import { sampleWorkerHeap } from '../sampleWorkerHeap.ts';
import { MiB, mbps, size } from '../units.ts';
import { coldDirect } from './coldDownload.ts';

/** One download for offline, timed from the call to its `finished` progress. */
interface DownloadRun {
  mbps: number;
  peakUsedPlusBacking: number;
}

/**
 * Download new synthetic files of `bytes` each for offline through the page's public client
 * (`chunkwise.download`), one after the other as a playlist would be, sampling the worker's heap;
 * timed from the first call to the last `finished` progress. Fails unless every chunk was stored.
 */
async function downloadForOffline(
  ctx: ScenarioContext,
  page: Page,
  worker: ServiceWorkerTarget,
  bytes: number,
  files = 1,
): Promise<DownloadRun> {
  const { origin } = ctx.servers;
  await origin.whenIdle();
  const urls = Array.from(
    { length: files },
    () => `${origin.url}/synthetic/${bytes}?seed=${ctx.freshSeed()}`,
  );
  const sampler = sampleWorkerHeap(worker, 200);
  const r = await page.evaluate(async (urls) => {
    const t0 = performance.now();
    const ends: { state?: string; stored?: number }[] = [];
    for (const url of urls) {
      const job = await window.chunkwise?.download({ url });
      const done = await job?.finished;
      ends.push({ state: done?.state, stored: done?.storedBytes });
    }
    const ms = performance.now() - t0;
    for (const url of urls) await window.chunkwise?.cache.delete(url);
    return { ms, ends };
  }, urls);
  const samples = await sampler.stop();
  for (const end of r.ends) {
    if (end.state !== 'done' || end.stored !== bytes) {
      throw new Error(`s11: download ${end.state}, ${end.stored} of ${bytes} bytes stored`);
    }
  }
  return {
    mbps: mbps(bytes * files, r.ms),
    peakUsedPlusBacking: Math.max(...samples.map((s) => s.used + s.backing)),
  };
}

/** MB/s of direct reads of `files` new synthetic files of `bytes`, one after the other. */
async function directFiles(ctx: ScenarioContext, page: Page, bytes: number, files: number) {
  let ms = 0;
  for (let i = 0; i < files; i++) ms += (bytes / (await coldDirect(ctx, page, bytes))) * 1e-3;
  return mbps(bytes * files, ms);
}

/**
 * S11: download for offline from an unthrottled upstream. No reader: every chunk goes from the
 * upstream into the store. Alternated in one browser with a direct read of a new file of the
 * same size from the page; the worker's heap (ArrayBuffers counted) sampled during each
 * download, S7's way. Then a playlist: several small files from the same origin downloaded one
 * after the other (what a speed record per origin, not per media, is for), against direct reads
 * of as many files.
 */
export const s11OfflineDownload: Scenario = {
  id: 's11',
  title: 'Download for offline from an unthrottled upstream: proxy vs direct, worker memory',
  async run(ctx) {
    const { quick, pairs } = ctx.options;
    const bytes = quick ? 64 * MiB : 256 * MiB;
    const playlist = { files: quick ? 8 : 16, bytes: 4 * MiB };
    ctx.servers.origin.resetKnobs();
    const out = await withBenchBrowser(ctx.servers, async (b) => {
      ctx.sawBrowser(b.version);
      const worker = await ServiceWorkerTarget.attach(b.browser, ctx.servers.appUrl);
      try {
        const direct: number[] = [];
        const runs: DownloadRun[] = [];
        const playlistDirect: number[] = [];
        const playlistRuns: DownloadRun[] = [];
        for (let round = 0; round < pairs; round++) {
          direct.push(await coldDirect(ctx, b.app, bytes));
          runs.push(await downloadForOffline(ctx, b.app, worker, bytes));
          playlistDirect.push(await directFiles(ctx, b.app, playlist.bytes, playlist.files));
          playlistRuns.push(
            await downloadForOffline(ctx, b.app, worker, playlist.bytes, playlist.files),
          );
          ctx.log(
            `s11 round ${round + 1}: direct ${direct.at(-1)?.toFixed(0)} MB/s, download ${runs.at(-1)?.mbps.toFixed(0)} MB/s, peak JS heap + ArrayBuffers ${((runs.at(-1)?.peakUsedPlusBacking ?? 0) / MiB).toFixed(1)} MiB; playlist direct ${playlistDirect.at(-1)?.toFixed(0)} MB/s, download ${playlistRuns.at(-1)?.mbps.toFixed(0)} MB/s, peak ${((playlistRuns.at(-1)?.peakUsedPlusBacking ?? 0) / MiB).toFixed(1)} MiB`,
          );
        }
        return { direct, runs, playlistDirect, playlistRuns };
      } finally {
        await worker.detach();
      }
    });
    const p = paired(
      out.runs.map((r) => r.mbps),
      out.direct,
    );
    const list = `${playlist.files} files of ${size(playlist.bytes)}`;
    const rows: Row[] = [
      pairedRow(
        'S11',
        `download for offline, ${size(bytes)}, unthrottled`,
        'MB/s',
        'direct fetch',
        p,
      ),
      singleRow(
        'S11',
        `peak worker JS heap + ArrayBuffers, download of ${size(bytes)}`,
        'MiB',
        series(out.runs.map((r) => r.peakUsedPlusBacking / MiB)),
      ),
      pairedRow(
        'S11',
        `download for offline, ${list} one after the other, unthrottled`,
        'MB/s',
        'direct fetches',
        paired(
          out.playlistRuns.map((r) => r.mbps),
          out.playlistDirect,
        ),
      ),
      singleRow(
        'S11',
        `peak worker JS heap + ArrayBuffers, download of ${list}`,
        'MiB',
        series(out.playlistRuns.map((r) => r.peakUsedPlusBacking / MiB)),
      ),
    ];
    return {
      settings: `${size(bytes)} synthetic files, each downloaded once for offline (proxy defaults: chunk 1 MiB, concurrency 4) and read once directly, alternated; then ${list} from the same origin downloaded one after the other, against direct reads of as many new files; origin unthrottled; heap sampled every 200 ms.`,
      rows,
      raw: out,
    };
  },
};
