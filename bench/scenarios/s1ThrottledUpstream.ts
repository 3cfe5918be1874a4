import { paired, series } from '../alternate.ts';
import { median } from '../median.ts';
import { pairedRow, type Row, singleRow } from '../Row.ts';
import type { Scenario } from '../Scenario.ts';
import { MiB, size } from '../units.ts';
import { alternateColdReads, type ColdRunStats } from './coldDownload.ts';

const RATE = 2_000_000;

/**
 * S1: a cold download through an upstream that paces each response strictly at 2 MB/s from its
 * first byte (`responseRate`: no burst for a new response on an idle keep-alive connection, as
 * nginx's `limit_rate`), so any idle gap between a slot's chunks costs throughput. N parallel
 * chunk downloads should move the file N times faster than one direct fetch: efficiency =
 * (proxy MB/s / direct MB/s) / N. Each round measures direct once, then the proxy at every
 * concurrency, so each ratio compares figures taken back to back.
 */
export const s1ThrottledUpstream: Scenario = {
  id: 's1',
  title: 'Cold download, throttled upstream (each response paced strictly at 2 MB/s)',
  async run(ctx) {
    const { quick, pairs } = ctx.options;
    const bytes = quick ? 16 * MiB : 64 * MiB;
    const concurrencies = quick ? [4, 6] : [1, 2, 4, 6, 8];
    ctx.servers.origin.resetKnobs();
    ctx.servers.origin.setKnobs('/synthetic/', { responseRate: RATE });
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
    for (const c of concurrencies.filter((c) => c === 4 || c === 6)) {
      const busy = stats.filter((s) => s.concurrency === c).map((s) => s.busyOverSpan);
      rows.push(
        singleRow(
          'S1',
          `upstream busy/span, concurrency ${c}`,
          'ratio',
          series(busy),
          c === 4
            ? { label: 'busy/span >= 3.8', goal: 3.8, higherIsBetter: true, measured: median(busy) }
            : null,
        ),
      );
    }
    return {
      settings: `${size(bytes)} synthetic file per measurement (new URL each time), origin responseRate ${RATE / 1e6} MB/s (each response paced strictly from its first byte), no link cap, chunk size 1 MiB (default), prefetch = 2 × concurrency, ${pairs} rounds.`,
      rows,
      raw: { bytes, rate: RATE, concurrencies, values, proxyStats: stats },
    };
  },
};
