import { paired, series } from '../alternate.ts';
import { median } from '../median.ts';
import { pairedRow, type Row, singleRow } from '../Row.ts';
import type { Scenario, ScenarioContext } from '../Scenario.ts';
import { MiB, size } from '../units.ts';
import { alternateColdReads, type ColdRunStats } from './coldDownload.ts';

const RATE = 2_000_000;

interface Variant {
  label: string;
  bytes: number;
  knobs: { responseRate?: number; rate?: number; ttfb?: number };
  /** The speedup over one direct fetch the issue asks for (null: shown, not judged). */
  speedupGoal: number | null;
}

/**
 * S9: does any connection sit idle between chunks? At concurrency 4 against an upstream pacing
 * each response strictly at 2 MB/s, the proxy should move the file ~4× faster than one direct
 * fetch, and the upstream's log should show ~4 responses running at every moment (busy/span).
 * Variants: file sizes, a 50 ms delay before every response's headers (a round trip), and the
 * per-connection bucket (`rate`, up to 64 KiB of burst for a new response, which hides short
 * gaps), labelled as such.
 */
export const s9IdleGaps: Scenario = {
  id: 's9',
  title: 'No idle connection between chunks (concurrency 4, strictly paced upstream)',
  async run(ctx) {
    const { quick, pairs } = ctx.options;
    const variants: Variant[] = [
      { label: 'strict', bytes: 16 * MiB, knobs: { responseRate: RATE }, speedupGoal: 3.6 },
      ...(quick
        ? []
        : [
            { label: 'strict', bytes: 24 * MiB, knobs: { responseRate: RATE }, speedupGoal: 3.6 },
            {
              label: 'strict, 50 ms ttfb',
              bytes: 24 * MiB,
              knobs: { responseRate: RATE, ttfb: 50 },
              speedupGoal: 3.4,
            },
            {
              label: 'per-connection bucket (burst)',
              bytes: 24 * MiB,
              knobs: { rate: RATE },
              speedupGoal: null,
            },
          ]),
    ];
    const rows: Row[] = [];
    const raw: unknown[] = [];
    for (const v of variants) rows.push(...(await measure(ctx, v, pairs, raw)));
    ctx.servers.origin.resetKnobs();
    return {
      settings: `synthetic files (new URL each time), concurrency 4, prefetch 8, chunk size 1 MiB; origin responseRate ${RATE / 1e6} MB/s (strict per response) unless the row says otherwise; ${pairs} rounds.`,
      rows,
      raw,
    };
  },
};

async function measure(
  ctx: ScenarioContext,
  v: Variant,
  pairs: number,
  raw: unknown[],
): Promise<Row[]> {
  ctx.servers.origin.resetKnobs();
  ctx.servers.origin.setKnobs('/synthetic/', v.knobs);
  const stats: ColdRunStats[] = [];
  const values = await alternateColdReads(ctx, 's9', pairs, v.bytes, [4], stats);
  const p = paired(values.c4 as number[], values.direct as number[]);
  const busy = stats.map((s) => s.busyOverSpan);
  raw.push({ variant: v, values, proxyStats: stats });
  const what = `cold ${size(v.bytes)}, ${v.label}`;
  return [
    pairedRow(
      'S9',
      `${what}: speedup`,
      'MB/s',
      'direct fetch',
      p,
      v.speedupGoal === null
        ? null
        : {
            label: `speedup >= ${v.speedupGoal}`,
            goal: v.speedupGoal,
            higherIsBetter: true,
            measured: p.medianRatio,
          },
    ),
    singleRow(
      'S9',
      `${what}: upstream busy/span`,
      'ratio',
      series(busy),
      v.speedupGoal === null
        ? null
        : { label: 'busy/span >= 3.8', goal: 3.8, higherIsBetter: true, measured: median(busy) },
    ),
  ];
}
