import { createSession } from '../../tests/browser/support/inPage.ts';
import { alternate, paired } from '../alternate.ts';
import { withBenchBrowser } from '../launchBenchBrowser.ts';
import { timedFetch } from '../page/timedFetch.ts';
import { timedRanges } from '../page/timedRanges.ts';
import { pairedRow } from '../Row.ts';
import type { Scenario } from '../Scenario.ts';
import { seededRanges } from '../seededRanges.ts';
import { KiB, MiB, size } from '../units.ts';

const RANGE = 4 * KiB;

/**
 * S6: per-request cost. Many small sequential ranges of a file the proxy has cached whole,
 * against the same ranges fetched straight from the unthrottled origin: requests per second.
 * The direct side is measured twice: from the app page (its cross-origin requests still pass
 * through the worker's fetch event, which does not answer them) and from a page no worker
 * controls (the plain network cost).
 */
export const s6RequestOverhead: Scenario = {
  id: 's6',
  title: 'Per-request overhead (sequential 4 KiB ranges of a cached file)',
  async run(ctx) {
    const { quick, pairs } = ctx.options;
    const bytes = 16 * MiB;
    const count = quick ? 300 : 1000;
    const { origin } = ctx.servers;
    origin.resetKnobs();
    const seed = ctx.freshSeed();
    const upstream = `${origin.url}/synthetic/${bytes}?seed=${seed}`;
    const ranges = seededRanges(seed, count, RANGE, bytes);
    const values = await withBenchBrowser(ctx.servers, async (b) => {
      ctx.sawBrowser(b.version);
      const app = b.app;
      const session = await createSession(app, upstream);
      await timedFetch(app, session.url, { status: 200, bytes }); // fills the cache
      // The app's icon under another host name is another origin, where no worker is registered.
      const plain = await b.context.newPage();
      await plain.goto(
        new URL('/favicon.svg', ctx.servers.appUrl.replace('127.0.0.1', 'localhost')).href,
      );
      const rps = (page: typeof app, url: string) => async () => {
        const r = await timedRanges(page, url, ranges);
        return r.requests / (r.ms / 1000);
      };
      return alternate(
        pairs,
        [
          ['direct', rps(app, upstream)],
          ['proxy', rps(app, session.url)],
          ['directUncontrolled', rps(plain, upstream)],
        ],
        (step, round, v) => ctx.log(`s6 round ${round + 1} ${step}: ${v.toFixed(0)} req/s`),
      );
    });
    return {
      settings: `${count} sequential ${size(RANGE)} ranges at seeded offsets of a ${size(bytes)} synthetic file cached whole (proxy defaults), origin unthrottled; ${pairs} rounds.`,
      rows: [
        pairedRow(
          'S6',
          `${count} × ${size(RANGE)} ranges`,
          'req/s',
          'direct (app page)',
          paired(values.proxy, values.direct),
        ),
        pairedRow(
          'S6',
          `${count} × ${size(RANGE)} ranges`,
          'req/s',
          'direct (uncontrolled page)',
          paired(values.proxy, values.directUncontrolled),
        ),
      ],
      raw: { bytes, count, rangeBytes: RANGE, values },
    };
  },
};
