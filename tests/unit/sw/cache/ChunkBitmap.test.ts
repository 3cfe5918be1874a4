import { describe, expect, it } from 'vitest';
import { ChunkBitmap } from '../../../../src/sw/cache/ChunkBitmap.ts';

describe('ChunkBitmap', () => {
  it.each([
    [0, 0],
    [1, 1],
    [8, 1],
    [9, 2],
    [16, 2],
    [17, 3],
  ])('empty(%i)_takes %i bytes, all clear', (count, bytes) => {
    const bitmap = ChunkBitmap.empty(count);
    expect(bitmap.toBytes()).toEqual(new Uint8Array(bytes));
    expect(bitmap.count).toBe(0);
    expect(bitmap.indexes()).toEqual([]);
  });

  it('with_setsExactlyThatBit_acrossByteBoundaries', () => {
    const bitmap = ChunkBitmap.empty(20).with(0).with(7).with(8).with(19);
    expect(bitmap.indexes()).toEqual([0, 7, 8, 19]);
    expect(bitmap.count).toBe(4);
    expect(bitmap.toBytes()).toEqual(new Uint8Array([0b1000_0001, 0b0000_0001, 0b0000_1000]));
    for (let i = 0; i < 20; i++) expect(bitmap.has(i)).toBe([0, 7, 8, 19].includes(i));
  });

  it('with_returnsNewBitmap_originalUnchanged', () => {
    const before = ChunkBitmap.empty(10);
    const after = before.with(3);
    expect(before.has(3)).toBe(false);
    expect(after.has(3)).toBe(true);
  });

  it('withTwice_isIdempotent', () => {
    expect(ChunkBitmap.empty(10).with(5).with(5).count).toBe(1);
  });

  it('without_clearsOnlyThatBit_originalUnchanged', () => {
    const full = ChunkBitmap.empty(10).with(1).with(2).with(9);
    const less = full.without(2);
    expect(less.indexes()).toEqual([1, 9]);
    expect(full.indexes()).toEqual([1, 2, 9]);
    expect(less.without(4).indexes()).toEqual([1, 9]);
  });

  it('from_copiesItsInput_laterChangesDoNotLeakIn', () => {
    const bytes = new Uint8Array([0b0000_0101]);
    const bitmap = ChunkBitmap.from(bytes);
    bytes[0] = 0xff;
    expect(bitmap.indexes()).toEqual([0, 2]);
  });

  it('toBytes_returnsACopy_changingItDoesNotChangeTheBitmap', () => {
    const bitmap = ChunkBitmap.empty(8).with(1);
    const bytes = bitmap.toBytes();
    bytes[0] = 0xff;
    expect(bitmap.indexes()).toEqual([1]);
  });

  it('toBytesThenFrom_roundTrips', () => {
    const bitmap = ChunkBitmap.empty(100).with(0).with(63).with(64).with(99);
    expect(ChunkBitmap.from(bitmap.toBytes()).indexes()).toEqual([0, 63, 64, 99]);
  });

  it('allBitsSet_countsEveryChunk', () => {
    let bitmap = ChunkBitmap.empty(13);
    for (let i = 0; i < 13; i++) bitmap = bitmap.with(i);
    expect(bitmap.count).toBe(13);
    expect(bitmap.indexes()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('hasPastTheEnd_isFalse', () => {
    expect(ChunkBitmap.empty(8).with(7).has(8)).toBe(false);
    expect(ChunkBitmap.empty(8).has(1000)).toBe(false);
  });
});
