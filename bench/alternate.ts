import { median } from './median.ts';

/** One measured quantity over the rounds of a scenario, with its median. */
export interface Series {
  values: number[];
  median: number;
}

/** A candidate measured against a baseline in the same rounds: per-round ratios and medians. */
export interface Paired {
  candidate: Series;
  baseline: Series;
  /** candidate / baseline, one per round (the two were measured back to back). */
  ratios: number[];
  medianRatio: number;
}

export function series(values: number[]): Series {
  return { values, median: median(values) };
}

export function paired(candidate: number[], baseline: number[]): Paired {
  const ratios = candidate.map((c, i) => c / (baseline[i] as number));
  return {
    candidate: series(candidate),
    baseline: series(baseline),
    ratios,
    medianRatio: median(ratios),
  };
}

/**
 * Run `rounds` rounds; each round runs every step once, in the given order (baseline first, then
 * the candidates: A B A B …), so slow drift of a shared, noisy machine hits both sides alike.
 * Returns each step's values in round order.
 */
export async function alternate<K extends string>(
  rounds: number,
  steps: [K, () => Promise<number>][],
  onValue?: (step: K, round: number, value: number) => void,
): Promise<Record<K, number[]>> {
  const out = Object.fromEntries(steps.map(([k]) => [k, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (const [key, run] of steps) {
      const value = await run();
      out[key].push(value);
      onValue?.(key, round, value);
    }
  }
  return out;
}
