import { expect } from 'vitest';

/**
 * Assert `actual` is exactly `expected`, failing with where they first differ (vitest's diff of
 * two arrays of thousands of bytes is thousands of lines, and slow to print).
 */
export function expectBytes(actual: Uint8Array, expected: Uint8Array, label?: string): void {
  expect(firstDifference(actual, expected), label).toBeNull();
}

function firstDifference(actual: Uint8Array, expected: Uint8Array): string | null {
  const n = Math.min(actual.byteLength, expected.byteLength);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i]) {
      return `bytes differ first at offset ${i} (got ${actual[i]}, want ${expected[i]}); lengths ${actual.byteLength} vs ${expected.byteLength}`;
    }
  }
  return actual.byteLength === expected.byteLength
    ? null
    : `lengths differ: got ${actual.byteLength} bytes, want ${expected.byteLength}`;
}
