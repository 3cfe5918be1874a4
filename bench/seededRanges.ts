import { prng } from '../tests/browser/support/expected.ts';

/**
 * `count` ranges `[start, end]` (inclusive) of `length` bytes at random offsets in a file of
 * `size` bytes, the same for every side of a comparison (mulberry32 from `seed`).
 */
export function seededRanges(
  seed: number,
  count: number,
  length: number,
  size: number,
): [number, number][] {
  const next = prng(seed);
  return Array.from({ length: count }, () => {
    const start = Math.floor(next() * (size - length + 1));
    return [start, start + length - 1] as [number, number];
  });
}
