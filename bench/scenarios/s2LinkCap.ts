import { paired } from '../alternate.ts';
import { median } from '../median.ts';
import { pairedRow, type Row } from '../Row.ts';
import type { Scenario } from '../Scenario.ts';
import { MiB, size } from '../units.ts';
import { alternateColdReads, type ColdRunStats } from './coldDownload.ts';

const RATE = 5_000_000;
const LINK = 20_000_000;

/**
 * S2: a cold download over a 20 MB/s link whose connections get at most 5 MB/s each. One direct
 * fetch reaches a quarter of the link; parallel chunks should fill it. Reported as the fraction
 * of the link cap reached, at the default concurrency (4, exactly enough connections at full
 * speed) and at 6 (more than enough: the link is the only limit).
 */
export const s2LinkCap: Scenario = {
  id: 's2',
  title: 'Cold download, link cap (20 MB/s link, 5 MB/s per connection)',
  async run(ctx) {
    const { quick, pairs } = ctx.options;
    const bytes = quick ? 16 * MiB : 64 * MiB;
    const concurrencies = [4, 6];
    ctx.servers.origin.resetKnobs();
    ctx.servers.origin.setKnobs('/synthetic/', { rate: RATE, linkRate: LINK });
    const stats: ColdRunStats[] = [];
    const values = await alternateColdReads(ctx, 's2', pairs, bytes, concurrencies, stats);
    ctx.servers.origin.resetKnobs();
    const link = LINK / 1e6;
    const direct = values.direct as number[];
    const directFraction = median(direct) / link;
    const rows: Row[] = concurrencies.map((c) => {
      const p = paired(values[`c${c}`] as number[], direct);
      return pairedRow(
        'S2',
        `cold ${size(bytes)}, concurrency ${c}, prefetch ${2 * c}`,
        'MB/s',
        'direct fetch',
        p,
        {
          label: `fraction of ${link} MB/s link >= 0.90`,
          goal: 0.9,
          higherIsBetter: true,
          measured: p.candidate.median / link,
        },
      );
    });
    (rows[0] as Row).note =
      `S2: one direct fetch reaches ${directFraction.toFixed(2)} of the link cap (one connection at ${RATE / 1e6} MB/s); the proxy figure is the fraction its median reaches.`;
    return {
      settings: `${size(bytes)} synthetic file per measurement (new URL each time), origin linkRate ${link} MB/s shared, rate ${RATE / 1e6} MB/s per connection, chunk size 1 MiB (default), ${pairs} rounds.`,
      rows,
      raw: {
        bytes,
        rate: RATE,
        linkRate: LINK,
        concurrencies,
        values,
        directFraction,
        proxyStats: stats,
      },
    };
  },
};
