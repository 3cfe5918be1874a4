import { createSession } from '../../tests/browser/support/inPage.ts';
import { alternate, paired } from '../alternate.ts';
import { withBenchBrowser } from '../launchBenchBrowser.ts';
import { closeSession } from '../page/closeSession.ts';
import { playAndSeek } from '../page/playAndSeek.ts';
import { pairedRow } from '../Row.ts';
import type { Scenario } from '../Scenario.ts';
import { coldSession, freshFileUrl, MEDIA_THROTTLE, warmUrl } from './mediaSources.ts';

const FILE = 'sample-faststart.mp4';

/**
 * S4: time to first frame of the faststart MP4 over a throttled upstream (1 MB/s per
 * connection, 50 ms to first byte): `<video src>` straight at the origin, through a proxy
 * session on a new URL (cold), and through a session on a URL already cached (warm). The origin
 * sends `no-store`, so the direct side is cold every time.
 */
export const s4FirstFrame: Scenario = {
  id: 's4',
  title: 'Time to first frame (sample-faststart.mp4, 1 MB/s per connection, 50 ms TTFB)',
  async run(ctx) {
    const { pairs } = ctx.options;
    const { origin } = ctx.servers;
    origin.resetKnobs();
    origin.setKnobs('/files/', MEDIA_THROTTLE);
    const firstPresented: Record<string, (number | null)[]> = { direct: [], cold: [], warm: [] };
    const values = await withBenchBrowser(ctx.servers, async (b) => {
      ctx.sawBrowser(b.version);
      const app = b.app;
      const warm = await warmUrl(ctx, app, FILE);
      const viaProxy = async (key: string, session: { id: string; url: string }) => {
        const t = await playAndSeek(app, session.url);
        await closeSession(app, session.id);
        firstPresented[key]?.push(t.firstPresentedMs);
        return t.firstFrameMs;
      };
      return alternate(
        pairs,
        [
          [
            'direct',
            async () => {
              await origin.whenIdle();
              const t = await playAndSeek(app, freshFileUrl(ctx, FILE));
              firstPresented.direct?.push(t.firstPresentedMs);
              return t.firstFrameMs;
            },
          ],
          [
            'cold',
            async () => {
              await origin.whenIdle();
              return viaProxy('cold', await coldSession(ctx, app, FILE));
            },
          ],
          [
            'warm',
            async () => {
              await origin.whenIdle();
              return viaProxy('warm', await createSession(app, warm));
            },
          ],
        ],
        (step, round, v) => ctx.log(`s4 round ${round + 1} ${step}: ${v.toFixed(0)} ms`),
      );
    });
    origin.resetKnobs();
    const cold = paired(values.cold, values.direct);
    const warm = paired(values.warm, values.direct);
    return {
      settings: `${FILE} (3.4 MiB, 60 s), origin rate 1 MB/s per connection and 50 ms TTFB, proxy defaults (chunk 1 MiB, concurrency 4, prefetch 8); time from setting src to the first playing event; ratio = proxy time / direct time (lower is better); ${pairs} rounds.`,
      rows: [
        pairedRow('S4', 'first frame, cold', 'ms', 'direct <video>', cold, {
          label: 'ratio to direct <= 1.0',
          goal: 1,
          higherIsBetter: false,
          measured: cold.medianRatio,
        }),
        pairedRow('S4', 'first frame, warm', 'ms', 'direct <video>', warm, {
          label: 'ratio to direct < 0.5',
          goal: 0.5,
          higherIsBetter: false,
          measured: warm.medianRatio,
        }),
      ],
      raw: { file: FILE, throttle: MEDIA_THROTTLE, values, firstPresentedMs: firstPresented },
    };
  },
};
