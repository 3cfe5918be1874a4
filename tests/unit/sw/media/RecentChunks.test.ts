import { describe, expect, it } from 'vitest';
import { RecentChunks } from '../../../../src/sw/media/RecentChunks.ts';

const bytes = (n: number) => new Uint8Array([n]);

describe('RecentChunks', () => {
  it('overCapacity_oldestAddedLeavesFirst', () => {
    const r = new RecentChunks<Uint8Array>(2);
    r.add(5, bytes(5));
    r.add(3, bytes(3));
    r.add(7, bytes(7));
    expect(r.get(5)).toBeUndefined();
    expect(r.get(3)?.[0]).toBe(3);
    expect(r.get(7)?.[0]).toBe(7);
    expect(r.size).toBe(2);
  });

  it('addedAgain_countsAsNewest', () => {
    const r = new RecentChunks<Uint8Array>(2);
    r.add(1, bytes(1));
    r.add(2, bytes(2));
    r.add(1, bytes(11));
    r.add(3, bytes(3));
    expect(r.get(2)).toBeUndefined();
    expect(r.get(1)?.[0]).toBe(11);
  });

  it('dropBefore_removesOnlyChunksBelowTheIndex', () => {
    const r = new RecentChunks<Uint8Array>(10);
    for (const i of [0, 1, 2, 3, 4]) r.add(i, bytes(i));
    r.dropBefore(3);
    expect([0, 1, 2, 3, 4].map((i) => r.get(i) !== undefined)).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
  });

  it('clear_forgetsEverything', () => {
    const r = new RecentChunks<Uint8Array>(4);
    r.add(0, bytes(0));
    r.clear();
    expect(r.size).toBe(0);
    expect(r.get(0)).toBeUndefined();
  });
});
