/**
 * Where the worker's time goes: a sampled CPU profile of the Chunkwise service worker (CDP
 * `Profiler` on the worker target) during one workload, summarised by self time. A diagnosis
 * tool for the misses `bench/run.ts` reports; it prints, never asserts.
 *
 *   tsx bench/profileWorker.ts <warm|cold|paced|ranges> [--dist=dir] [--chunk=bytes]
 *
 * - warm: three whole reads of a 64 MiB file cached whole (S3);
 * - cold: one cold read of a 256 MiB file from the unthrottled origin (S7's download path);
 * - paced: one cold read of a 24 MiB file at concurrency 4 from an origin pacing each response
 *   strictly at 2 MB/s (`responseRate`; S1's download path);
 * - ranges: 1000 sequential 4 KiB ranges of a cached 16 MiB file (S6).
 * The worker's own thread only: time spent in the browser process (IndexedDB, blobs, network)
 * shows up as `(idle)` here.
 */
import { createSession } from '../tests/browser/support/inPage.ts';
import { withBenchBrowser } from './launchBenchBrowser.ts';
import { timedFetch } from './page/timedFetch.ts';
import { timedRanges } from './page/timedRanges.ts';
import { ServiceWorkerTarget } from './ServiceWorkerTarget.ts';
import { seededRanges } from './seededRanges.ts';
import { startBenchServers } from './startBenchServers.ts';
import { type CpuProfile, summarizeProfile } from './summarizeProfile.ts';
import { KiB, MiB, mbps } from './units.ts';

const [workload = 'warm', ...rest] = process.argv.slice(2);
const dist = rest.find((a) => a.startsWith('--dist='))?.slice(7) ?? 'dist';
const chunkArg = rest.find((a) => a.startsWith('--chunk='))?.slice(8);
const chunkSize = chunkArg ? Number(chunkArg) : undefined;
if (!['warm', 'cold', 'paced', 'ranges'].includes(workload))
  throw new Error(`unknown workload ${workload}`);

const servers = await startBenchServers(dist);
try {
  await withBenchBrowser(servers, async (b) => {
    const { origin } = servers;
    const sizes: Record<string, number> = { cold: 256 * MiB, warm: 64 * MiB, paced: 24 * MiB };
    const bytes = sizes[workload] ?? 16 * MiB;
    const cold = workload === 'cold' || workload === 'paced';
    if (workload === 'paced') origin.setKnobs('/synthetic/', { responseRate: 2_000_000 });
    const url = `${origin.url}/synthetic/${bytes}?seed=${Date.now() % 1e9}`;
    const session = await createSession(b.app, url, {
      ...(chunkSize ? { chunkSize } : {}),
      ...(workload === 'paced' ? { concurrency: 4, prefetch: 8 } : {}),
    });
    if (!cold) await timedFetch(b.app, session.url, { status: 200, bytes });
    const worker = await ServiceWorkerTarget.attach(b.browser, servers.appUrl);
    await worker.send('Profiler.enable');
    await worker.send('Profiler.setSamplingInterval', { interval: 200 });
    await worker.send('Profiler.start');
    const t0 = performance.now();
    let moved = 0;
    if (workload === 'ranges') {
      const r = await timedRanges(b.app, session.url, seededRanges(7, 1000, 4 * KiB, bytes));
      moved = r.bytes;
      console.log(`${r.requests} requests in ${r.ms.toFixed(0)} ms`);
    } else {
      for (let i = 0; i < (workload === 'warm' ? 3 : 1); i++) {
        const r = await timedFetch(b.app, session.url, { status: 200, bytes });
        moved += bytes;
        console.log(`read ${i + 1}: ${mbps(bytes, r.ms).toFixed(0)} MB/s`);
      }
    }
    const wall = performance.now() - t0;
    const { profile } = await worker.send<{ profile: CpuProfile }>('Profiler.stop');
    await worker.detach();
    console.log(
      `${workload}: ${(moved / MiB).toFixed(0)} MiB in ${wall.toFixed(0)} ms; worker self time by function:`,
    );
    for (const line of summarizeProfile(profile)) {
      console.log(
        `${(line.share * 100).toFixed(1).padStart(5)} %  ${line.selfMs.toFixed(0).padStart(6)} ms  ${line.name}`,
      );
    }
  });
} finally {
  await servers.close();
}
