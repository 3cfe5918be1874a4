import type { Page } from '@playwright/test';
import { createSession } from '../../tests/browser/support/inPage.ts';
import { series } from '../alternate.ts';
import { withBenchBrowser } from '../launchBenchBrowser.ts';
import { closeSession } from '../page/closeSession.ts';
import { timedFetch } from '../page/timedFetch.ts';
import { type Row, singleRow } from '../Row.ts';
import type { Scenario, ScenarioContext } from '../Scenario.ts';
import { ServiceWorkerTarget } from '../ServiceWorkerTarget.ts';
import { type HeapSample, sampleWorkerHeap } from '../sampleWorkerHeap.ts';
import { GiB, MiB, mbps, size } from '../units.ts';

interface MemoryRun {
  bytes: number;
  mbps: number;
  peakUsed: number;
  peakUsedPlusBacking: number;
  /** JS heap + ArrayBuffers once the read ended and a full GC ran: what is really retained. */
  afterGc: number;
  samples: HeapSample[];
}

/** Stream a new synthetic file of `bytes` through a new session, sampling the worker's heap. */
async function streamAndSample(
  ctx: ScenarioContext,
  page: Page,
  worker: ServiceWorkerTarget,
  bytes: number,
): Promise<MemoryRun> {
  await ctx.servers.origin.whenIdle();
  const session = await createSession(
    page,
    `${ctx.servers.origin.url}/synthetic/${bytes}?seed=${ctx.freshSeed()}`,
  );
  const sampler = sampleWorkerHeap(worker, 200);
  const r = await timedFetch(page, session.url, { status: 200, bytes });
  const samples = await sampler.stop();
  await worker.send('HeapProfiler.collectGarbage');
  const gc = await worker.send<{ usedSize: number; backingStorageSize?: number }>(
    'Runtime.getHeapUsage',
  );
  await closeSession(page, session.id);
  return {
    bytes,
    mbps: mbps(bytes, r.ms),
    peakUsed: Math.max(...samples.map((s) => s.used)),
    peakUsedPlusBacking: Math.max(...samples.map((s) => s.used + s.backing)),
    afterGc: gc.usedSize + (gc.backingStorageSize ?? 0),
    samples,
  };
}

/**
 * S7: the worker's memory while it streams a large file (unthrottled, cold: every chunk is
 * downloaded, stored and served). `Runtime.getHeapUsage` on the worker every ~200 ms: the JS
 * heap in use (garbage not yet collected included) and the ArrayBuffer backing stores outside
 * it. Then the same for a file 16× smaller (4× with --quick): a streaming design keeps the peak
 * flat with size.
 */
export const s7Memory: Scenario = {
  id: 's7',
  title: 'Worker memory while streaming a large file (unthrottled)',
  async run(ctx) {
    const { quick } = ctx.options;
    // The span: flat from 256 MiB to 4 GiB (quick: 64 MiB to 256 MiB).
    const large = quick ? 256 * MiB : 4 * GiB;
    const small = quick ? 64 * MiB : 256 * MiB;
    const { origin } = ctx.servers;
    origin.resetKnobs();
    const runs = await withBenchBrowser(ctx.servers, async (b) => {
      ctx.sawBrowser(b.version);
      // The worker runs once the page is controlled; attach to it for the whole scenario.
      const worker = await ServiceWorkerTarget.attach(b.browser, ctx.servers.appUrl);
      try {
        const out: MemoryRun[] = [];
        for (const bytes of [small, large]) {
          const run = await streamAndSample(ctx, b.app, worker, bytes);
          ctx.log(
            `s7 ${size(bytes)}: ${run.mbps.toFixed(0)} MB/s, peak JS heap ${(run.peakUsed / MiB).toFixed(1)} MiB, with ArrayBuffers ${(run.peakUsedPlusBacking / MiB).toFixed(1)} MiB, after GC ${(run.afterGc / MiB).toFixed(1)} MiB, ${run.samples.length} samples`,
          );
          out.push(run);
        }
        return out;
      } finally {
        await worker.detach();
      }
    });
    const [s, l] = runs as [MemoryRun, MemoryRun];
    const mib = (n: number) => n / MiB;
    const rows: Row[] = [
      singleRow('S7', `peak worker JS heap, ${size(large)}`, 'MiB', series([mib(l.peakUsed)]), {
        label: '< 64 MiB',
        goal: 64,
        higherIsBetter: false,
        measured: mib(l.peakUsed),
      }),
      singleRow('S7', `peak worker JS heap, ${size(small)}`, 'MiB', series([mib(s.peakUsed)])),
      singleRow(
        'S7',
        `peak JS heap ${size(large)} / ${size(small)}`,
        'ratio',
        series([l.peakUsed / s.peakUsed]),
        {
          label: 'flat: <= 1.25',
          goal: 1.25,
          higherIsBetter: false,
          measured: l.peakUsed / s.peakUsed,
        },
      ),
      singleRow(
        'S7',
        `peak JS heap + ArrayBuffers, ${size(large)}`,
        'MiB',
        series([mib(l.peakUsedPlusBacking)]),
        {
          label: '< 32 MiB, buffers counted',
          goal: 32,
          higherIsBetter: false,
          measured: mib(l.peakUsedPlusBacking),
        },
      ),
      singleRow(
        'S7',
        `peak JS heap + ArrayBuffers, ${size(small)}`,
        'MiB',
        series([mib(s.peakUsedPlusBacking)]),
        {
          label: '< 32 MiB, buffers counted',
          goal: 32,
          higherIsBetter: false,
          measured: mib(s.peakUsedPlusBacking),
        },
      ),
      singleRow(
        'S7',
        `JS heap + ArrayBuffers after the ${size(large)} read and a full GC`,
        'MiB',
        series([mib(l.afterGc)]),
      ),
      singleRow(
        'S7',
        `cold unthrottled read through the proxy, ${size(large)}`,
        'MB/s',
        series([l.mbps]),
      ),
    ];
    return {
      settings: `${size(large)} and ${size(small)} synthetic files, each read once whole through a new session (proxy defaults: chunk 1 MiB, concurrency 4, prefetch 8), origin unthrottled, heap sampled every 200 ms; one run per size (no baseline: figures stand alone).`,
      rows,
      raw: runs.map((r) => ({
        ...r,
        samples: r.samples.map((x) => [Math.round(x.at), x.used, x.backing]),
      })),
    };
  },
};
