import { createSession } from '../../tests/browser/support/inPage.ts';
import { paired, series } from '../alternate.ts';
import { withBenchBrowser } from '../launchBenchBrowser.ts';
import { closeSession } from '../page/closeSession.ts';
import { timedFetch } from '../page/timedFetch.ts';
import { pairedRow, type Row, singleRow } from '../Row.ts';
import type { Scenario } from '../Scenario.ts';
import { ServiceWorkerTarget } from '../ServiceWorkerTarget.ts';
import { type CpuProfile, workerBusyMs } from '../summarizeProfile.ts';
import { MiB, size } from '../units.ts';
import { coldDirect, coldProxy } from './coldDownload.ts';

/**
 * S10: a fast upstream must not be slowed down by the proxy. A cold read of a new synthetic file
 * from the unthrottled origin, through the proxy (default settings) and straight from the page,
 * alternated in one browser; then one more proxy read under a sampled CPU profile of the worker
 * (CDP `Profiler`), reported as the worker's busy time (all but `(idle)`) per MiB.
 */
export const s10FastUpstream: Scenario = {
  id: 's10',
  title: 'Cold read from an unthrottled upstream: proxy vs direct, worker CPU per MiB',
  async run(ctx) {
    const { quick, pairs } = ctx.options;
    const bytes = quick ? 64 * MiB : 256 * MiB;
    const { origin } = ctx.servers;
    origin.resetKnobs();
    const { values, cpuMsPerMiB } = await withBenchBrowser(ctx.servers, async (b) => {
      ctx.sawBrowser(b.version);
      const direct: number[] = [];
      const proxy: number[] = [];
      for (let round = 0; round < pairs; round++) {
        direct.push(await coldDirect(ctx, b.app, bytes));
        proxy.push(await coldProxy(ctx, b.app, bytes, { concurrency: 4, prefetch: 8 }));
        ctx.log(
          `s10 round ${round + 1}: direct ${direct.at(-1)?.toFixed(0)} MB/s, proxy ${proxy.at(-1)?.toFixed(0)} MB/s`,
        );
      }
      await origin.whenIdle();
      const session = await createSession(
        b.app,
        `${origin.url}/synthetic/${bytes}?seed=${ctx.freshSeed()}`,
      );
      const worker = await ServiceWorkerTarget.attach(b.browser, ctx.servers.appUrl);
      try {
        await worker.send('Profiler.enable');
        await worker.send('Profiler.setSamplingInterval', { interval: 200 });
        await worker.send('Profiler.start');
        await timedFetch(b.app, session.url, { status: 200, bytes });
        const { profile } = await worker.send<{ profile: CpuProfile }>('Profiler.stop');
        await closeSession(b.app, session.id);
        return { values: { direct, proxy }, cpuMsPerMiB: workerBusyMs(profile) / (bytes / MiB) };
      } finally {
        await worker.detach();
      }
    });
    const p = paired(values.proxy, values.direct);
    const rows: Row[] = [
      pairedRow('S10', `cold ${size(bytes)}, unthrottled`, 'MB/s', 'direct fetch', p, {
        label: 'ratio to direct >= 0.5',
        goal: 0.5,
        higherIsBetter: true,
        measured: p.medianRatio,
      }),
      singleRow(
        'S10',
        `worker CPU per MiB, cold ${size(bytes)} (CDP profile)`,
        'ms/MiB',
        series([cpuMsPerMiB]),
      ),
    ];
    return {
      settings: `${size(bytes)} synthetic file per read (new URL each time), origin unthrottled, proxy concurrency 4, prefetch 8, chunk size 1 MiB; ${pairs} rounds, then one profiled proxy read (sampling every 200 µs).`,
      rows,
      raw: { bytes, values, cpuMsPerMiB },
    };
  },
};
