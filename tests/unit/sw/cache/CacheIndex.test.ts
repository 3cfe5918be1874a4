/**
 * `CacheIndex` is pure: built from a store's listing, then changed chunk by chunk. Every case
 * checks the totals against the chunks it holds.
 */
import { describe, expect, it } from 'vitest';
import { CacheIndex, fits } from '../../../../src/sw/cache/CacheIndex.ts';
import type { MediaMeta, StoredChunk } from '../../../../src/sw/store/ChunkStore.ts';

/** 250 bytes in chunks of 100: chunks 0 and 1 are 100 bytes, chunk 2 is 50. */
function meta(key: string, changes: Partial<MediaMeta> = {}): MediaMeta {
  return {
    key,
    url: `https://upstream.test/${key}`,
    size: 250,
    contentType: 'video/mp4',
    etag: '"e1"',
    lastModified: null,
    chunkSize: 100,
    validation: 'strong',
    version: 1,
    lastAccess: 1_000,
    pinned: false,
    ...changes,
  };
}

function chunk(key: string, index: number, size: number): StoredChunk {
  return { key, index, size };
}

/** What the index holds of `key`: its stored indexes and counts. */
function held(index: CacheIndex, key: string) {
  const m = index.get(key);
  return m && { indexes: m.stored.indexes(), bytes: m.storedBytes, chunks: m.storedChunks };
}

describe('CacheIndex.build', () => {
  it('chunksThatFit_indexed_totalIsTheirBytes_noOrphans', () => {
    const { index, orphans } = CacheIndex.build(
      [meta('a'), meta('b')],
      [chunk('a', 0, 100), chunk('a', 2, 50), chunk('b', 1, 100)],
    );
    expect(orphans).toEqual([]);
    expect(held(index, 'a')).toEqual({ indexes: [0, 2], bytes: 150, chunks: 2 });
    expect(held(index, 'b')).toEqual({ indexes: [1], bytes: 100, chunks: 1 });
    expect(index.total).toBe(250);
    expect(index.peak).toBe(250);
    expect(index.has('a', 2)).toBe(true);
    expect(index.has('a', 1)).toBe(false);
    expect(index.has('nope', 0)).toBe(false);
  });

  it('mediaWithoutChunks_indexedEmpty', () => {
    const { index, orphans } = CacheIndex.build([meta('a')], []);
    expect(orphans).toEqual([]);
    expect(held(index, 'a')).toEqual({ indexes: [], bytes: 0, chunks: 0 });
    expect(index.get('a')?.meta).toEqual(meta('a'));
    expect(index.total).toBe(0);
  });

  it.each<[string, StoredChunk]>([
    ['unknownKey', chunk('ghost', 0, 100)],
    ['indexEqualToChunkCount', chunk('a', 3, 50)],
    ['indexFarPastTheEnd', chunk('a', 99, 100)],
    ['negativeIndex', chunk('a', -1, 100)],
    ['fractionalIndex', chunk('a', 0.5, 100)],
    ['tooShort', chunk('a', 1, 99)],
    ['tooLong', chunk('a', 1, 101)],
    ['fullLengthForTheShortLastChunk', chunk('a', 2, 100)],
    ['empty', chunk('a', 1, 0)],
  ])('%s_isAnOrphan_notCounted', (_name, bad) => {
    const { index, orphans } = CacheIndex.build([meta('a')], [chunk('a', 0, 100), bad]);
    expect(orphans).toEqual([bad]);
    expect(held(index, 'a')).toEqual({ indexes: [0], bytes: 100, chunks: 1 });
    expect(index.total).toBe(100);
  });

  it('duplicateChunk_secondIsAnOrphan_countedOnce', () => {
    const { index, orphans } = CacheIndex.build(
      [meta('a')],
      [chunk('a', 1, 100), chunk('a', 1, 100)],
    );
    expect(orphans).toEqual([chunk('a', 1, 100)]);
    expect(held(index, 'a')).toEqual({ indexes: [1], bytes: 100, chunks: 1 });
    expect(index.total).toBe(100);
  });
});

describe('CacheIndex: add, remove, delete', () => {
  it('add_marksTheChunk_countsItsLength_shortLastChunkToo', () => {
    const index = CacheIndex.build([meta('a')], []).index;
    expect(index.add('a', 2)).toBe(true);
    expect(index.add('a', 0)).toBe(true);
    expect(held(index, 'a')).toEqual({ indexes: [0, 2], bytes: 150, chunks: 2 });
    expect(index.total).toBe(150);
  });

  it('addAlreadyStoredOrUnknownMedia_false_totalsUnchanged', () => {
    const index = CacheIndex.build([meta('a')], [chunk('a', 0, 100)]).index;
    expect(index.add('a', 0)).toBe(false);
    expect(index.add('nope', 0)).toBe(false);
    expect(index.get('nope')).toBeUndefined();
    expect(held(index, 'a')).toEqual({ indexes: [0], bytes: 100, chunks: 1 });
    expect(index.total).toBe(100);
  });

  it('remove_unmarks_returnsTheBytesItHeld_secondTimeZero', () => {
    const index = CacheIndex.build([meta('a')], [chunk('a', 0, 100), chunk('a', 2, 50)]).index;
    expect(index.remove('a', 2)).toBe(50);
    expect(index.remove('a', 2)).toBe(0);
    expect(index.remove('a', 1)).toBe(0);
    expect(index.remove('nope', 0)).toBe(0);
    expect(held(index, 'a')).toEqual({ indexes: [0], bytes: 100, chunks: 1 });
    expect(index.total).toBe(100);
  });

  it('delete_forgetsTheMedia_returnsItsBytes_othersKept', () => {
    const { index } = CacheIndex.build(
      [meta('a'), meta('b')],
      [chunk('a', 0, 100), chunk('a', 2, 50), chunk('b', 0, 100)],
    );
    expect(index.delete('a')).toBe(150);
    expect(index.get('a')).toBeUndefined();
    expect(index.has('a', 0)).toBe(false);
    expect(index.delete('a')).toBe(0);
    expect(index.delete('nope')).toBe(0);
    expect(index.all().map((m) => m.meta.key)).toEqual(['b']);
    expect(index.total).toBe(100);
  });

  it('peak_isTheMostEverStoredAtOnce_removalsDoNotLowerIt', () => {
    const index = CacheIndex.build([meta('a'), meta('b')], []).index;
    index.add('a', 0);
    index.add('a', 1);
    expect(index.peak).toBe(200);
    index.remove('a', 0);
    index.add('b', 2);
    expect({ total: index.total, peak: index.peak }).toEqual({ total: 150, peak: 200 });
    index.add('b', 0);
    expect({ total: index.total, peak: index.peak }).toEqual({ total: 250, peak: 250 });
    index.delete('b');
    expect({ total: index.total, peak: index.peak }).toEqual({ total: 100, peak: 250 });
  });
});

describe('CacheIndex.setMeta', () => {
  it('keepChunks_replacesTheMeta_chunksAndTotalsKept', () => {
    const index = CacheIndex.build([meta('a')], [chunk('a', 0, 100), chunk('a', 2, 50)]).index;
    const moved = meta('a', { url: 'https://cdn.test/a', lastAccess: 5_000, pinned: true });
    index.setMeta(moved, true);
    expect(index.get('a')?.meta).toEqual(moved);
    expect(held(index, 'a')).toEqual({ indexes: [0, 2], bytes: 150, chunks: 2 });
    expect(index.total).toBe(150);
  });

  it('dropChunks_replacesTheMeta_emptiesTheMedia_totalDown_peakKept', () => {
    const { index } = CacheIndex.build(
      [meta('a'), meta('b')],
      [chunk('a', 0, 100), chunk('a', 2, 50), chunk('b', 1, 100)],
    );
    const changed = meta('a', { size: 1000, version: 2 });
    index.setMeta(changed, false);
    expect(index.get('a')?.meta).toEqual(changed);
    expect(held(index, 'a')).toEqual({ indexes: [], bytes: 0, chunks: 0 });
    expect(held(index, 'b')).toEqual({ indexes: [1], bytes: 100, chunks: 1 });
    expect({ total: index.total, peak: index.peak }).toEqual({ total: 100, peak: 250 });
    // The new content's chunks are sized by the new meta.
    expect(index.add('a', 9)).toBe(true);
    expect(index.total).toBe(200);
  });

  it.each<[string, boolean]>([
    ['keepChunks', true],
    ['dropChunks', false],
  ])('newKey_%s_addedEmpty', (_name, keep) => {
    const index = CacheIndex.build([], []).index;
    index.setMeta(meta('a'), keep);
    expect(held(index, 'a')).toEqual({ indexes: [], bytes: 0, chunks: 0 });
    expect(index.total).toBe(0);
  });
});

describe('fits', () => {
  it.each<[string, number, number, boolean]>([
    ['firstChunk', 0, 100, true],
    ['middleChunk', 1, 100, true],
    ['shortLastChunk', 2, 50, true],
    ['lastChunkAtFullLength', 2, 100, false],
    ['tooShort', 0, 99, false],
    ['tooLong', 0, 101, false],
    ['indexEqualToChunkCount', 3, 50, false],
    ['negativeIndex', -1, 100, false],
    ['fractionalIndex', 0.5, 100, false],
    ['nanIndex', Number.NaN, 100, false],
  ])('%s_%s', (_name, index, size, expected) => {
    expect(fits(meta('a'), index, size)).toBe(expected);
  });

  it('exactMultiple_emptyChunkPastTheEnd_doesNotFit', () => {
    // 200 bytes in chunks of 100: chunk 2 would be [200, 200), 0 bytes long.
    expect(fits(meta('a', { size: 200 }), 2, 0)).toBe(false);
    expect(fits(meta('a', { size: 200 }), 1, 100)).toBe(true);
  });
});
