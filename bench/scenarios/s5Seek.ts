import { createSession } from '../../tests/browser/support/inPage.ts';
import { paired } from '../alternate.ts';
import { withBenchBrowser } from '../launchBenchBrowser.ts';
import { median } from '../median.ts';
import { closeSession } from '../page/closeSession.ts';
import { playAndSeek, type SeekTiming } from '../page/playAndSeek.ts';
import { pairedRow, type Row } from '../Row.ts';
import type { Scenario } from '../Scenario.ts';
import { coldSession, freshFileUrl, MEDIA_THROTTLE, warmUrl } from './mediaSources.ts';

const FILE = 'sample-moov-end.mp4';
/** Spread over the 60 s and out of order, so no seek lands where the last one left off. */
const POSITIONS = [12, 48, 30, 54, 6];

type Side = 'direct' | 'proxy';

/**
 * S5: seek latency in the MP4 whose `moov` is at the end, same throttle as S4. Cold: every seek
 * in a new playback of a new URL, right after its first frame (for the proxy: a new cache key,
 * so the position was not stored when playback began; the sample is only 4 chunks of 1 MiB, so
 * the prefetch window has usually fetched it by the time of the seek — that is the proxy's
 * design at work, and the row's note says so). Warm: one playback of a URL already cached
 * whole, seeking to every position in turn. Each figure is the median over the positions of
 * one round; the ratio compares rounds.
 */
export const s5Seek: Scenario = {
  id: 's5',
  title: 'Seek latency (sample-moov-end.mp4, 1 MB/s per connection, 50 ms TTFB)',
  async run(ctx) {
    const { pairs, quick } = ctx.options;
    const positions = quick ? POSITIONS.slice(0, 3) : POSITIONS;
    const { origin } = ctx.servers;
    origin.resetKnobs();
    origin.setKnobs('/files/', MEDIA_THROTTLE);
    const cold: Record<Side, SeekTiming[][]> = { direct: [], proxy: [] };
    const warm: Record<'direct' | 'proxy', SeekTiming[][]> = { direct: [], proxy: [] };
    await withBenchBrowser(ctx.servers, async (b) => {
      ctx.sawBrowser(b.version);
      const app = b.app;
      const warmProxyUrl = await warmUrl(ctx, app, FILE);
      const directWarmUrl = freshFileUrl(ctx, FILE);
      for (let round = 0; round < pairs; round++) {
        const r: Record<Side, SeekTiming[]> = { direct: [], proxy: [] };
        for (const position of positions) {
          await origin.whenIdle();
          r.direct.push(...(await playAndSeek(app, freshFileUrl(ctx, FILE), [position])).seeks);
          await origin.whenIdle();
          const session = await coldSession(ctx, app, FILE);
          r.proxy.push(...(await playAndSeek(app, session.url, [position])).seeks);
          await closeSession(app, session.id);
        }
        for (const side of Object.keys(r) as Side[]) cold[side].push(r[side]);
        await origin.whenIdle();
        warm.direct.push((await playAndSeek(app, directWarmUrl, positions)).seeks);
        await origin.whenIdle();
        const session = await createSession(app, warmProxyUrl);
        warm.proxy.push((await playAndSeek(app, session.url, positions)).seeks);
        await closeSession(app, session.id);
        const m = (s: SeekTiming[]) => median(s.map((x) => x.seekedMs)).toFixed(0);
        ctx.log(
          `s5 round ${round + 1} seeked ms (median): cold direct ${m(r.direct)}, proxy ${m(r.proxy)}; warm direct ${m(warm.direct[round] ?? [])}, proxy ${m(warm.proxy[round] ?? [])}`,
        );
      }
    });
    origin.resetKnobs();
    const perRound = (rounds: SeekTiming[][], key: 'seekedMs' | 'resumedMs') =>
      rounds.map((seeks) => median(seeks.map((s) => s[key])));
    const rows: Row[] = [];
    for (const key of ['seekedMs', 'resumedMs'] as const) {
      const what = key === 'seekedMs' ? 'to seeked' : 'to playback resumed';
      const direct = perRound(cold.direct, key);
      const c = paired(perRound(cold.proxy, key), direct);
      const coldRow = pairedRow('S5', `cold seek ${what}`, 'ms', 'direct <video>', c, {
        label: 'ratio to direct <= 1.0',
        goal: 1,
        higherIsBetter: false,
        measured: c.medianRatio,
      });
      if (key === 'seekedMs')
        coldRow.note =
          'S5 cold: the sample is 4 chunks of 1 MiB and the prefetch window (8) covers all of them from the first request, so by the first frame every chunk is stored or arriving: the seek rarely waits for a download. A seek into bytes not yet downloaded waits for the whole chunk (see S4 cold).';
      rows.push(coldRow);
      const w = paired(perRound(warm.proxy, key), perRound(warm.direct, key));
      rows.push(
        pairedRow(
          'S5',
          `warm seek ${what}`,
          'ms',
          'direct <video>',
          w,
          key === 'seekedMs'
            ? {
                label: 'median < 50 ms',
                goal: 50,
                higherIsBetter: false,
                measured: w.candidate.median,
              }
            : null,
        ),
      );
    }
    return {
      settings: `${FILE} (3.4 MiB, 60 s, moov at the end), seeks to ${positions.join(', ')} s; origin rate 1 MB/s per connection and 50 ms TTFB; proxy defaults (chunk 1 MiB, concurrency 4, prefetch 8); proxy figure = median over the positions in a round, ratio = proxy / direct (lower is better); ${pairs} rounds. The origin sends no-store, so "warm" direct has only what the element itself kept.`,
      rows,
      raw: { file: FILE, throttle: MEDIA_THROTTLE, positions, cold, warm },
    };
  },
};
