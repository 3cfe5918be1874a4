import { createSession } from '../../tests/browser/support/inPage.ts';
import { paired, series } from '../alternate.ts';
import { withBenchBrowser } from '../launchBenchBrowser.ts';
import { closeSession } from '../page/closeSession.ts';
import { timedChunkedFetch } from '../page/timedChunkedFetch.ts';
import { timedFetch } from '../page/timedFetch.ts';
import { pairedRow, type Row, singleRow } from '../Row.ts';
import type { Scenario, ScenarioContext } from '../Scenario.ts';
import { ServiceWorkerTarget } from '../ServiceWorkerTarget.ts';
import { type CpuProfile, workerBusyMs } from '../summarizeProfile.ts';
import { MiB, mbps, size } from '../units.ts';
import { coldDirect, coldProxy } from './coldDownload.ts';

/**
 * S10: a fast upstream must not be slowed down by the proxy. A cold read of a new synthetic file
 * from the unthrottled origin, through the proxy (default settings) and straight from the page,
 * alternated in one browser; then one more proxy read under a sampled CPU profile of the worker
 * (CDP `Profiler`), reported as the worker's busy time (all but `(idle)`) per MiB.
 *
 * Diagnostic rounds after those: what the requests alone cost, with no worker in the way. From a
 * page the worker does not control, one whole fetch of a new file, then the same size read as
 * the proxy reads it (1 MiB ranges, four at a time), then in 4 MiB ranges: the ratio of the
 * 1 MiB read to the whole one is the ceiling a proxy downloading in 1 MiB requests meets before
 * it copies or stores a byte.
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
    const requests = await requestCost(ctx, bytes, pairs);
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
      pairedRow(
        'S10',
        `diagnostic: no worker, ${size(bytes)} in 1 MiB ranges × 4 at once`,
        'MB/s',
        'one whole fetch',
        paired(requests.ranges1, requests.whole),
      ),
      pairedRow(
        'S10',
        `diagnostic: no worker, ${size(bytes)} in 4 MiB ranges × 4 at once`,
        'MB/s',
        'one whole fetch',
        paired(requests.ranges4, requests.whole),
      ),
    ];
    return {
      settings: `${size(bytes)} synthetic file per read (new URL each time), origin unthrottled, proxy concurrency 4, prefetch 8, chunk size 1 MiB; ${pairs} rounds, then one profiled proxy read (sampling every 200 µs).`,
      rows,
      raw: { bytes, values, cpuMsPerMiB, requests },
    };
  },
};

/**
 * The request-cost diagnostic: from a page the worker does not control (nothing goes through
 * it), per round one whole fetch of a new file and the same bytes in 1 MiB and in 4 MiB ranges,
 * four requests at a time (each read of a new file, so no cache can serve it). In a browser of
 * its own: the proxy's browser still holds the worker and the chunks its reads stored.
 */
async function requestCost(
  ctx: ScenarioContext,
  bytes: number,
  rounds: number,
): Promise<{ whole: number[]; ranges1: number[]; ranges4: number[] }> {
  const { origin } = ctx.servers;
  return withBenchBrowser(ctx.servers, async (b) => {
    const page = await b.context.newPage();
    const fresh = () => `${origin.url}/synthetic/${bytes}?seed=${ctx.freshSeed()}`;
    const out = { whole: [] as number[], ranges1: [] as number[], ranges4: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      await origin.whenIdle();
      out.whole.push(mbps(bytes, (await timedFetch(page, fresh(), { status: 200, bytes })).ms));
      await origin.whenIdle();
      out.ranges1.push(mbps(bytes, await timedChunkedFetch(page, fresh(), bytes, MiB, 4)));
      await origin.whenIdle();
      out.ranges4.push(mbps(bytes, await timedChunkedFetch(page, fresh(), bytes, 4 * MiB, 4)));
      ctx.log(
        `s10 requests round ${round + 1}: whole ${out.whole.at(-1)?.toFixed(0)}, 1 MiB × 4 ${out.ranges1.at(-1)?.toFixed(0)}, 4 MiB × 4 ${out.ranges4.at(-1)?.toFixed(0)} MB/s`,
      );
    }
    await page.close();
    return out;
  });
}
