import type { Paired, Series } from './alternate.ts';

/** A goal a figure is compared with (never asserted: the gap is printed). */
export interface Target {
  /** e.g. `efficiency >= 0.90`. */
  label: string;
  goal: number;
  /** True when higher is better (`>=`), false when lower is better (`<=` / `<`). */
  higherIsBetter: boolean;
  measured: number;
}

/** One line of the results table: the proxy's figure against a baseline measured alternately. */
export interface Row {
  scenario: string;
  measure: string;
  unit: string;
  proxy: Series;
  /** What the proxy is compared with (`direct`, `Workbox`), or null for a figure alone. */
  baselineName: string | null;
  baseline: Series | null;
  /** proxy / baseline per pair, and their median. */
  ratios: number[] | null;
  medianRatio: number | null;
  target: Target | null;
  /** A short remark printed under the table (what the number means, a caveat). */
  note?: string;
}

/** A row comparing the proxy with a baseline measured in the same rounds. */
export function pairedRow(
  scenario: string,
  measure: string,
  unit: string,
  baselineName: string,
  p: Paired,
  target: Target | null = null,
): Row {
  return {
    scenario,
    measure,
    unit,
    proxy: p.candidate,
    baselineName,
    baseline: p.baseline,
    ratios: p.ratios,
    medianRatio: p.medianRatio,
    target,
  };
}

/** A row with one figure and no baseline. */
export function singleRow(
  scenario: string,
  measure: string,
  unit: string,
  s: Series,
  target: Target | null = null,
): Row {
  return {
    scenario,
    measure,
    unit,
    proxy: s,
    baselineName: null,
    baseline: null,
    ratios: null,
    medianRatio: null,
    target,
  };
}

/** How far `t.measured` is from `t.goal`: positive means met, negative missed (in goal units). */
export function gapOf(t: Target): number {
  return t.higherIsBetter ? t.measured - t.goal : t.goal - t.measured;
}
