/**
 * Diagnosis (prints, never asserts): one cold read of a new synthetic file through the proxy at
 * concurrency 4 against an origin pacing each response strictly (`responseRate`), then the
 * upstream log read as slots: for each chunk request, how long after the previous response on a
 * busy slot ended it arrived. `npx tsx bench/slotGaps.ts [--mib=24] [--ttfb=0] [--rate=2000000]`
 * after `vite build`.
 */
import { createSession } from '../tests/browser/support/inPage.ts';
import { withBenchBrowser } from './launchBenchBrowser.ts';
import { closeSession } from './page/closeSession.ts';
import { timedFetch } from './page/timedFetch.ts';
import { startBenchServers } from './startBenchServers.ts';
import { MiB, mbps } from './units.ts';
import { busyOverSpan, slotGaps } from './upstreamBusy.ts';

const arg = (name: string, fallback: number) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : fallback;
};
const bytes = arg('mib', 24) * MiB;
const ttfb = arg('ttfb', 0);
const rate = arg('rate', 2_000_000);
const concurrency = arg('c', 4);

const servers = await startBenchServers('dist');
try {
  servers.origin.setKnobs('/synthetic/', { responseRate: rate, ttfb });
  await withBenchBrowser(servers, async (b) => {
    for (let round = 0; round < 2; round++) {
      const { origin } = servers;
      await origin.whenIdle();
      origin.clearLog();
      const direct = await timedFetch(
        b.app,
        `${origin.url}/synthetic/${bytes}?seed=${900 + round}`,
        {
          status: 200,
          bytes,
        },
      );
      await origin.whenIdle();
      origin.clearLog();
      const url = `${origin.url}/synthetic/${bytes}?seed=${1000 + round}`;
      const session = await createSession(b.app, url, { concurrency, prefetch: 2 * concurrency });
      const t0 = performance.now();
      const r = await timedFetch(b.app, session.url, { status: 200, bytes });
      const t1 = performance.now();
      await closeSession(b.app, session.id);
      const chunks = origin.log.filter((e) => e.range !== null && e.method === 'GET');
      const gaps = slotGaps(chunks, concurrency);
      const sorted = [...gaps].sort((a, c) => a - c);
      console.log(
        `round ${round}: direct ${mbps(bytes, direct.ms).toFixed(2)} MB/s, proxy ${mbps(bytes, r.ms).toFixed(2)} MB/s, ` +
          `speedup ${(direct.ms / r.ms).toFixed(2)}, busy/span ${busyOverSpan(chunks).toFixed(2)}, ` +
          `gaps ms median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} max ${sorted.at(-1)?.toFixed(1)} (n=${gaps.length})`,
      );
      const firstArrival = Math.min(...chunks.map((e) => e.arrived));
      const lastEnd = Math.max(...chunks.map((e) => e.end ?? 0));
      console.log(
        `  harness: fetch began ${t0.toFixed(0)}, first chunk request +${(firstArrival - t0).toFixed(0)} ms, last chunk byte ${lastEnd.toFixed(0)}, fetch ended +${(t1 - lastEnd).toFixed(0)} ms later; page timed ${r.ms.toFixed(0)} ms`,
      );
      for (const e of chunks.slice(0, 26))
        console.log(
          `  ${e.range} conn ${e.connId} arrived ${e.arrived.toFixed(0)} start ${e.start.toFixed(0)} end ${e.end?.toFixed(0)}`,
        );
    }
  });
} finally {
  await servers.close();
}
