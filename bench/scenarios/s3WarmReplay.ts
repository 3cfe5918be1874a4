import { createSession, sessionStats } from '../../tests/browser/support/inPage.ts';
import { alternate, paired } from '../alternate.ts';
import { withBenchBrowser } from '../launchBenchBrowser.ts';
import { untilMerged } from '../page/storedValues.ts';
import { timedFetch } from '../page/timedFetch.ts';
import { timedRanges } from '../page/timedRanges.ts';
import { pairedRow } from '../Row.ts';
import type { Scenario } from '../Scenario.ts';
import { seededRanges } from '../seededRanges.ts';
import { MiB, mbps, size } from '../units.ts';

const RANGE = 1 * MiB;

/**
 * S3: replay of a file already cached whole. The proxy reads it from its IndexedDB chunks; the
 * ceiling is a direct, unthrottled loopback fetch of the origin; the Workbox baseline answers
 * from one full response in Cache Storage with `workbox-range-requests`. Whole-file reads and
 * 1 MiB ranges at seeded random offsets (the same offsets for all three).
 */
export const s3WarmReplay: Scenario = {
  id: 's3',
  title: 'Warm replay (file fully cached)',
  async run(ctx) {
    const { quick, pairs } = ctx.options;
    const bytes = quick ? 16 * MiB : 64 * MiB;
    const rangeCount = quick ? 16 : 32;
    const { origin } = ctx.servers;
    origin.resetKnobs();
    const seed = ctx.freshSeed();
    const upstream = `${origin.url}/synthetic/${bytes}?seed=${seed}`;
    const ranges = seededRanges(seed, rangeCount, RANGE, bytes);
    const rangeBytes = rangeCount * RANGE;
    const raw = await withBenchBrowser(ctx.servers, async (b) => {
      ctx.sawBrowser(b.version);
      const app = b.app;
      const session = await createSession(app, upstream);
      await timedFetch(app, session.url, { status: 200, bytes }); // fills the cache
      const stats = await sessionStats(app, session.id);
      if (stats.chunks.stored !== stats.chunks.total)
        throw new Error(`s3: ${stats.chunks.stored}/${stats.chunks.total} chunks stored`);
      // Read once from the store: the worker merges the chunks into 16 MiB values behind it
      // (ChunkStore.mergeChunks); the rounds measure the settled store.
      await timedFetch(app, session.url, { status: 200, bytes });
      const values = await untilMerged(app, upstream, Math.ceil(bytes / (16 * MiB)));
      ctx.log(`s3: ${stats.chunks.total} chunks kept in ${values} stored values`);
      const wb = await b.workbox();
      const stored = await wb.evaluate(({ url, name }) => window.workboxBench.store(url, name), {
        url: upstream,
        name: `warm-${seed}`,
      });
      if (stored.size !== bytes) throw new Error(`s3: Workbox cached ${stored.size} bytes`);
      const wbUrl = new URL(stored.path, ctx.servers.workboxUrl).href;
      const whole = (page: typeof app, url: string) => async () =>
        mbps(bytes, (await timedFetch(page, url, { status: 200, bytes })).ms);
      const ranged = (page: typeof app, url: string) => async () =>
        mbps(rangeBytes, (await timedRanges(page, url, ranges)).ms);
      return alternate(
        pairs,
        [
          ['wholeDirect', whole(app, upstream)],
          ['wholeProxy', whole(app, session.url)],
          ['wholeWorkbox', whole(wb, wbUrl)],
          ['rangesDirect', ranged(app, upstream)],
          ['rangesProxy', ranged(app, session.url)],
          ['rangesWorkbox', ranged(wb, wbUrl)],
        ],
        (step, round, v) => ctx.log(`s3 round ${round + 1} ${step}: ${v.toFixed(1)} MB/s`),
      );
    });
    const whole = `whole ${size(bytes)}`;
    const rng = `${rangeCount} × ${size(RANGE)} random ranges`;
    const atLeast = (goal: number, label: string, measured: number) => ({
      label,
      goal,
      higherIsBetter: true,
      measured,
    });
    const vsDirectWhole = paired(raw.wholeProxy, raw.wholeDirect);
    const vsWorkboxWhole = paired(raw.wholeProxy, raw.wholeWorkbox);
    const vsDirectRanges = paired(raw.rangesProxy, raw.rangesDirect);
    const vsWorkboxRanges = paired(raw.rangesProxy, raw.rangesWorkbox);
    return {
      settings: `${size(bytes)} synthetic file cached whole (chunk size 1 MiB, default settings), origin unthrottled; ${rng} at seeded offsets, one after another; ${pairs} rounds.`,
      rows: [
        pairedRow(
          'S3',
          `warm ${whole}`,
          'MB/s',
          'direct loopback',
          vsDirectWhole,
          atLeast(0.75, 'ratio to direct >= 0.75', vsDirectWhole.medianRatio),
        ),
        pairedRow(
          'S3',
          `warm ${whole}`,
          'MB/s',
          'Workbox',
          vsWorkboxWhole,
          atLeast(1, 'ratio to Workbox >= 1.0', vsWorkboxWhole.medianRatio),
        ),
        pairedRow(
          'S3',
          `warm ${rng}`,
          'MB/s',
          'direct loopback',
          vsDirectRanges,
          atLeast(0.75, 'ratio to direct >= 0.75', vsDirectRanges.medianRatio),
        ),
        pairedRow('S3', `warm ${rng}`, 'MB/s', 'Workbox', vsWorkboxRanges),
      ],
      raw: { bytes, rangeCount, rangeBytes: RANGE, values: raw },
    };
  },
};
