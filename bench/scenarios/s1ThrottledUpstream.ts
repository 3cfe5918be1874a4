import { paired } from '../alternate.ts';
import { pairedRow, type Row } from '../Row.ts';
import type { Scenario } from '../Scenario.ts';
import { MiB, size } from '../units.ts';
import { alternateColdReads, type ColdRunStats } from './coldDownload.ts';

const RATE = 2_000_000;

/**
 * S1: a cold download through an upstream that caps each connection at 2 MB/s. N parallel
 * chunk downloads should move the file N times faster than one direct fetch: efficiency =
 * (proxy MB/s / direct MB/s) / N. Each round measures direct once, then the proxy at every
 * concurrency, so each ratio compares figures taken back to back.
 */
export const s1ThrottledUpstream: Scenario = {
  id: 's1',
  title: 'Cold download, throttled upstream (2 MB/s per connection)',
  async run(ctx) {
    const { quick, pairs } = ctx.options;
    const bytes = quick ? 16 * MiB : 64 * MiB;
    const concurrencies = quick ? [4, 6] : [1, 2, 4, 6, 8];
    ctx.servers.origin.resetKnobs();
    ctx.servers.origin.setKnobs('/synthetic/', { rate: RATE });
    const stats: ColdRunStats[] = [];
    const values = await alternateColdReads(ctx, 's1', pairs, bytes, concurrencies, stats);
    ctx.servers.origin.resetKnobs();
    const rows: Row[] = concurrencies.map((c) => {
      const p = paired(values[`c${c}`] as number[], values.direct as number[]);
      const row = pairedRow(
        'S1',
        `cold ${size(bytes)}, concurrency ${c}, prefetch ${2 * c}`,
        'MB/s',
        'direct fetch',
        p,
        c <= 6
          ? {
              label: `efficiency (ratio/${c}) >= 0.90`,
              goal: 0.9,
              higherIsBetter: true,
              measured: p.medianRatio / c,
            }
          : null,
      );
      if (c > 6)
        row.note = `Chromium opens at most 6 HTTP/1.1 connections per host, so concurrency ${c} cannot beat 6 here; efficiency ${(p.medianRatio / c).toFixed(2)} (ratio / ${c}), ${(p.medianRatio / 6).toFixed(2)} counted against 6.`;
      return row;
    });
    return {
      settings: `${size(bytes)} synthetic file per measurement (new URL each time), origin rate ${RATE / 1e6} MB/s per connection, no link cap, chunk size 1 MiB (default), prefetch = 2 × concurrency, ${pairs} rounds.`,
      rows,
      raw: { bytes, rate: RATE, concurrencies, values, proxyStats: stats },
    };
  },
};
