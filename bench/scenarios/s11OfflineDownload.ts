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
 * Download a new synthetic file of `bytes` for offline through the page's public client
 * (`chunkwise.download`), sampling the worker's heap; fails unless every chunk was stored.
 */
async function downloadForOffline(
  ctx: ScenarioContext,
  page: Page,
  worker: ServiceWorkerTarget,
  bytes: number,
): Promise<DownloadRun> {
  const { origin } = ctx.servers;
  await origin.whenIdle();
  const url = `${origin.url}/synthetic/${bytes}?seed=${ctx.freshSeed()}`;
  const sampler = sampleWorkerHeap(worker, 200);
  const r = await page.evaluate(async (url) => {
    const t0 = performance.now();
    const job = await window.chunkwise?.download({ url });
    const done = await job?.finished;
    const ms = performance.now() - t0;
    await window.chunkwise?.cache.delete(url);
    return { ms, state: done?.state, stored: done?.storedBytes };
  }, url);
  const samples = await sampler.stop();
  if (r.state !== 'done' || r.stored !== bytes) {
    throw new Error(`s11: download ${r.state}, ${r.stored} of ${bytes} bytes stored`);
  }
  return {
    mbps: mbps(bytes, r.ms),
    peakUsedPlusBacking: Math.max(...samples.map((s) => s.used + s.backing)),
  };
}

/**
 * S11: download for offline from an unthrottled upstream. No reader: every chunk goes from the
 * upstream into the store. Alternated in one browser with a direct read of a new file of the
 * same size from the page; the worker's heap (ArrayBuffers counted) sampled during each
 * download, S7's way.
 */
export const s11OfflineDownload: Scenario = {
  id: 's11',
  title: 'Download for offline from an unthrottled upstream: proxy vs direct, worker memory',
  async run(ctx) {
    const { quick, pairs } = ctx.options;
    const bytes = quick ? 64 * MiB : 256 * MiB;
    ctx.servers.origin.resetKnobs();
    const out = await withBenchBrowser(ctx.servers, async (b) => {
      ctx.sawBrowser(b.version);
      const worker = await ServiceWorkerTarget.attach(b.browser, ctx.servers.appUrl);
      try {
        const direct: number[] = [];
        const runs: DownloadRun[] = [];
        for (let round = 0; round < pairs; round++) {
          direct.push(await coldDirect(ctx, b.app, bytes));
          runs.push(await downloadForOffline(ctx, b.app, worker, bytes));
          ctx.log(
            `s11 round ${round + 1}: direct ${direct.at(-1)?.toFixed(0)} MB/s, download ${runs.at(-1)?.mbps.toFixed(0)} MB/s, peak JS heap + ArrayBuffers ${((runs.at(-1)?.peakUsedPlusBacking ?? 0) / MiB).toFixed(1)} MiB`,
          );
        }
        return { direct, runs };
      } finally {
        await worker.detach();
      }
    });
    const p = paired(
      out.runs.map((r) => r.mbps),
      out.direct,
    );
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
    ];
    return {
      settings: `${size(bytes)} synthetic files, each downloaded once for offline (proxy defaults: chunk 1 MiB, concurrency 4) and read once directly, alternated; origin unthrottled; heap sampled every 200 ms.`,
      rows,
      raw: out,
    };
  },
};
