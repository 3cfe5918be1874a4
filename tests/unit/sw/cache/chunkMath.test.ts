import { describe, expect, it } from 'vitest';
import {
  chunkBounds,
  chunkCount,
  chunkIndexOf,
  chunkLength,
} from '../../../../src/sw/cache/chunkMath.ts';

describe('chunkCount', () => {
  it.each([
    [0, 100, 0],
    [1, 100, 1],
    [99, 100, 1],
    [100, 100, 1],
    [101, 100, 2],
    [1000, 100, 10],
    [1001, 100, 11],
    [10, 1, 10],
  ])('size %i in chunks of %i_is_%i_chunks', (size, chunkSize, expected) => {
    expect(chunkCount(size, chunkSize)).toBe(expected);
  });
});

describe('chunkBounds / chunkLength', () => {
  it.each([
    [0, 1000, 100, { start: 0, end: 99 }, 100],
    [9, 1000, 100, { start: 900, end: 999 }, 100],
    [10, 1001, 100, { start: 1000, end: 1000 }, 1],
    [2, 250, 100, { start: 200, end: 249 }, 50],
    [0, 1, 100, { start: 0, end: 0 }, 1],
    [0, 100, 100, { start: 0, end: 99 }, 100],
  ])(
    'chunk %i of size %i by %i_isBounded %j_ofLength %i',
    (index, size, chunkSize, bounds, length) => {
      expect(chunkBounds(index, size, chunkSize)).toEqual(bounds);
      expect(chunkLength(index, size, chunkSize)).toBe(length);
    },
  );

  it.each([
    [0, 7],
    [1, 7],
    [10, 3],
    [1000, 64],
    [1001, 64],
    [4096, 1024],
  ])('everyChunkOfSize %i by %i_tilesTheBodyExactly', (size, chunkSize) => {
    const count = chunkCount(size, chunkSize);
    let next = 0;
    let total = 0;
    for (let i = 0; i < count; i++) {
      const { start, end } = chunkBounds(i, size, chunkSize);
      expect(start).toBe(next);
      expect(end).toBeGreaterThanOrEqual(start);
      next = end + 1;
      total += chunkLength(i, size, chunkSize);
    }
    expect(next).toBe(size);
    expect(total).toBe(size);
  });
});

describe('chunkIndexOf', () => {
  it.each([
    [0, 100, 0],
    [99, 100, 0],
    [100, 100, 1],
    [101, 100, 1],
    [999, 100, 9],
    [5, 1, 5],
  ])('offset %i in chunks of %i_isInChunk %i', (offset, chunkSize, expected) => {
    expect(chunkIndexOf(offset, chunkSize)).toBe(expected);
  });
});
