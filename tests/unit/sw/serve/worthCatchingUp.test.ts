import { describe, expect, it } from 'vitest';
import { CATCH_UP_MIN_GAP, worthCatchingUp } from '../../../../src/sw/serve/worthCatchingUp.ts';

describe('worthCatchingUp', () => {
  it.each([
    // gap, bytes/s per connection, expected
    [0, 0, false],
    [CATCH_UP_MIN_GAP - 1, 0, false], // too close: the download gets there in a moment
    [CATCH_UP_MIN_GAP, 0, true], // rate unknown (nothing downloaded yet): do not wait
    [700_000, 1_000_000, true], // 0.7 s at 1 MB/s: a new request is faster
    [700_000, 100_000_000, false], // 7 ms at 100 MB/s: waiting is cheaper
    [150_000, 1_000_000, false], // exactly 0.15 s: not worth a request
    [150_001, 1_000_000, true],
  ])('gap %i at %i B/s → %s', (gap, rate, expected) => {
    expect(worthCatchingUp(gap, rate)).toBe(expected);
  });
});
