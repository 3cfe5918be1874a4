/**
 * `IdbChunkStore` on fake-indexeddb. Under Node 20 its structured clone keeps Blob values (type,
 * size and bytes), so chunks are stored as the real store stores them. One database per test.
 */
import 'fake-indexeddb/auto';
import type { IDBPDatabase } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MediaDescription } from '../../../../src/sw/store/ChunkStore.ts';
import { IdbChunkStore } from '../../../../src/sw/store/IdbChunkStore.ts';
import { openChunkwiseDb } from '../../../../src/sw/store/openChunkwiseDb.ts';
import type { ChunkwiseDB, MediaRecord } from '../../../../src/sw/store/schema.ts';

const NOW = 1_700_000_000_000;
/** 2500 bytes in chunks of 1000: chunks 0 and 1 are 1000 bytes, chunk 2 is 500. */
const MEDIA: MediaDescription = {
  key: 'media-a',
  url: 'https://upstream.test/a.mp4',
  size: 2500,
  contentType: 'video/mp4',
  etag: '"v1"',
  lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT',
  chunkSize: 1000,
  validation: 'strong',
};

/** `length` bytes, each the low byte of `seed + position`, so chunks are told apart by content. */
function chunk(length: number, seed = 0): Blob {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (seed + i) & 0xff;
  return new Blob([bytes]);
}

async function bytesOf(blob: Blob | undefined): Promise<number[] | undefined> {
  return blob === undefined ? undefined : [...new Uint8Array(await blob.arrayBuffer())];
}

let dbCount = 0;
let db: IDBPDatabase<ChunkwiseDB>;
let store: IdbChunkStore;

beforeEach(async () => {
  vi.spyOn(Date, 'now').mockReturnValue(NOW);
  db = await openChunkwiseDb(`chunkwise-test-${process.pid}-${++dbCount}`);
  store = new IdbChunkStore(db);
});

afterEach(() => {
  db.close();
  vi.restoreAllMocks();
});

describe('fake-indexeddb under Node', () => {
  it('blobValue_roundTripsWithTypeSizeAndBytes', async () => {
    await db.put('chunks', {
      key: 'probe',
      index: 0,
      data: new Blob([new Uint8Array([1, 2, 3])], { type: 'x/y' }),
    });
    const back = await db.get('chunks', ['probe', 0]);
    expect(back?.data).toBeInstanceOf(Blob);
    expect(back?.data.type).toBe('x/y');
    expect(await bytesOf(back?.data)).toEqual([1, 2, 3]);
  });
});

describe('IdbChunkStore.describeMedia', () => {
  it('newMedia_createsAnEmptyRecord', async () => {
    const expected: MediaRecord = {
      ...MEDIA,
      stored: new Uint8Array(1),
      storedBytes: 0,
      storedChunks: 0,
      lastAccess: NOW,
      pinned: false,
    };
    expect(await store.describeMedia(MEDIA)).toEqual({ record: expected, dropped: false });
    expect(await store.getMedia('media-a')).toEqual(expected);
  });

  it('sameContent_keepsChunksAndCounts', async () => {
    await store.describeMedia(MEDIA);
    await store.writeChunk('media-a', 1, chunk(1000, 1));
    const { record, dropped } = await store.describeMedia(MEDIA);
    expect(dropped).toBe(false);
    expect(record).toMatchObject({
      storedBytes: 1000,
      storedChunks: 1,
      stored: new Uint8Array([2]),
    });
    expect(await bytesOf(await store.readChunk('media-a', 1))).toEqual(
      await bytesOf(chunk(1000, 1)),
    );
  });

  it('sameContentFromANewUrl_keepsChunks_updatesUrl', async () => {
    await store.describeMedia(MEDIA);
    await store.writeChunk('media-a', 0, chunk(1000));
    const moved = { ...MEDIA, url: 'https://cdn.test/a.mp4?sig=2' };
    const { record, dropped } = await store.describeMedia(moved);
    expect(dropped).toBe(false);
    expect(record.url).toBe('https://cdn.test/a.mp4?sig=2');
    expect(record.storedChunks).toBe(1);
  });

  it('validatorsHiddenNow_keepChunksAndTheKnownValidators', async () => {
    await store.describeMedia(MEDIA);
    await store.writeChunk('media-a', 0, chunk(1000));
    const hidden = { ...MEDIA, etag: null, lastModified: null, validation: 'length-only' as const };
    const { record, dropped } = await store.describeMedia(hidden);
    expect(dropped).toBe(false);
    expect(record).toMatchObject({
      etag: '"v1"',
      lastModified: MEDIA.lastModified,
      validation: 'length-only',
      storedChunks: 1,
    });
  });

  it.each<[string, Partial<MediaDescription>, number]>([
    ['size', { size: 2600 }, 1],
    ['etag', { etag: '"v2"' }, 1],
    ['lastModified', { lastModified: 'Thu, 22 Oct 2015 07:28:00 GMT' }, 1],
    ['chunkSize', { chunkSize: 500 }, 1],
  ])('changed %s_dropsEveryChunk_dropped true', async (_field, change, bitmapBytes) => {
    await store.describeMedia(MEDIA);
    await store.writeChunk('media-a', 0, chunk(1000));
    await store.writeChunk('media-a', 2, chunk(500));
    await store.touch('media-a', NOW - 5, true);

    const { record, dropped } = await store.describeMedia({ ...MEDIA, ...change });
    expect(dropped).toBe(true);
    expect(record).toEqual({
      ...MEDIA,
      ...change,
      stored: new Uint8Array(bitmapBytes),
      storedBytes: 0,
      storedChunks: 0,
      lastAccess: NOW,
      pinned: true,
    });
    expect(await store.getMedia('media-a')).toEqual(record);
    expect(await store.readChunk('media-a', 0)).toBeUndefined();
    expect(await store.readChunk('media-a', 2)).toBeUndefined();
    expect(await db.count('chunks')).toBe(0);
  });

  it('changedContentWithNothingStored_isNotReportedAsDropped', async () => {
    await store.describeMedia(MEDIA);
    const { dropped } = await store.describeMedia({ ...MEDIA, etag: '"v2"' });
    expect(dropped).toBe(false);
  });

  it('changedContent_leavesOtherMediaChunksAlone', async () => {
    await store.describeMedia(MEDIA);
    await store.describeMedia({ ...MEDIA, key: 'media-b' });
    await store.writeChunk('media-a', 0, chunk(1000));
    await store.writeChunk('media-b', 0, chunk(1000, 7));
    await store.describeMedia({ ...MEDIA, etag: '"v2"' });
    expect(await bytesOf(await store.readChunk('media-b', 0))).toEqual(
      await bytesOf(chunk(1000, 7)),
    );
    expect((await store.getMedia('media-b'))?.storedChunks).toBe(1);
  });
});

describe('IdbChunkStore.writeChunk', () => {
  beforeEach(async () => {
    await store.describeMedia(MEDIA);
  });

  it('write_storesBytes_andMarksBitBytesAndCountInOneStep', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(NOW + 10);
    const record = await store.writeChunk('media-a', 2, chunk(500, 3));
    const expected: MediaRecord = {
      ...MEDIA,
      stored: new Uint8Array([0b100]),
      storedBytes: 500,
      storedChunks: 1,
      lastAccess: NOW + 10,
      pinned: false,
    };
    expect(record).toEqual(expected);
    expect(await store.getMedia('media-a')).toEqual(expected);
    expect(await bytesOf(await store.readChunk('media-a', 2))).toEqual(
      await bytesOf(chunk(500, 3)),
    );
  });

  it('sameChunkTwice_isCountedOnce_latestBytesKept', async () => {
    await store.writeChunk('media-a', 0, chunk(1000, 1));
    const record = await store.writeChunk('media-a', 0, chunk(1000, 2));
    expect(record).toMatchObject({
      storedBytes: 1000,
      storedChunks: 1,
      stored: new Uint8Array([1]),
    });
    expect(await store.getMedia('media-a')).toMatchObject({ storedBytes: 1000, storedChunks: 1 });
    expect(await bytesOf(await store.readChunk('media-a', 0))).toEqual(
      await bytesOf(chunk(1000, 2)),
    );
  });

  it.each<[string, number, number]>([
    ['tooShort', 0, 999],
    ['tooLong', 0, 1001],
    ['fullLengthForTheShortLastChunk', 2, 1000],
    ['empty', 1, 0],
    ['indexEqualToChunkCount', 3, 500],
    ['indexFarPastTheEnd', 100, 1000],
    ['negativeIndex', -1, 1000],
    ['fractionalIndex', 0.5, 1000],
  ])('%s_rejectsWithDataError_storesNothing', async (_name, index, length) => {
    await expect(store.writeChunk('media-a', index, chunk(length))).rejects.toMatchObject({
      name: 'DataError',
    });
    expect(await store.getMedia('media-a')).toMatchObject({
      stored: new Uint8Array(1),
      storedBytes: 0,
      storedChunks: 0,
    });
    expect(await db.count('chunks')).toBe(0);
  });

  it('unknownMedia_rejectsWithNotFoundError_storesNothing', async () => {
    await expect(store.writeChunk('nope', 0, chunk(1000))).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    expect(await db.count('chunks')).toBe(0);
    expect(await store.getMedia('nope')).toBeUndefined();
  });

  it('twentyConcurrentWrites_allLand_withExactCounts', async () => {
    const many: MediaDescription = { ...MEDIA, key: 'many', size: 19 * 100 + 37, chunkSize: 100 };
    await store.describeMedia(many);
    const lengthOf = (i: number) => (i === 19 ? 37 : 100);
    const order = [7, 19, 0, 13, 2, 18, 5, 11, 1, 16, 9, 3, 14, 6, 17, 10, 4, 12, 8, 15];

    await Promise.all(order.map((i) => store.writeChunk('many', i, chunk(lengthOf(i), i))));

    const record = await store.getMedia('many');
    expect(record?.storedChunks).toBe(20);
    expect(record?.storedBytes).toBe(1937);
    expect(record?.stored).toEqual(new Uint8Array([0xff, 0xff, 0x0f]));
    expect(await db.count('chunks')).toBe(20);
    for (let i = 0; i < 20; i++) {
      expect(await bytesOf(await store.readChunk('many', i))).toEqual(
        await bytesOf(chunk(lengthOf(i), i)),
      );
    }
  });

  it('concurrentWritesOfTheSameChunk_countItOnce', async () => {
    await Promise.all([0, 1, 2, 3, 4].map((s) => store.writeChunk('media-a', 1, chunk(1000, s))));
    expect(await store.getMedia('media-a')).toMatchObject({ storedBytes: 1000, storedChunks: 1 });
  });
});

describe('IdbChunkStore.readChunks', () => {
  beforeEach(async () => {
    await store.describeMedia(MEDIA);
    await store.describeMedia({ ...MEDIA, key: 'media-b' });
    await store.writeChunk('media-a', 0, chunk(1000, 1));
    await store.writeChunk('media-a', 1, chunk(1000, 2));
    await store.writeChunk('media-b', 2, chunk(500, 3));
  });

  it('allStored_returnsTheirBytesInOrder', async () => {
    const blobs = await store.readChunks('media-a', 0, 1);
    expect(await Promise.all((blobs ?? []).map(bytesOf))).toEqual([
      await bytesOf(chunk(1000, 1)),
      await bytesOf(chunk(1000, 2)),
    ]);
  });

  it('oneMissing_null', async () => {
    expect(await store.readChunks('media-a', 0, 2)).toBeNull();
    expect(await store.readChunks('media-a', 1, 2)).toBeNull();
  });

  it('otherMediaChunks_neverCounted', async () => {
    // media-b's chunk 2 sorts right after media-a's keys: it must not fill media-a's gap.
    expect(await store.readChunks('media-a', 2, 2)).toBeNull();
    expect(await bytesOf((await store.readChunks('media-b', 2, 2))?.[0])).toEqual(
      await bytesOf(chunk(500, 3)),
    );
  });
});

describe('IdbChunkStore.removeChunk', () => {
  beforeEach(async () => {
    await store.describeMedia(MEDIA);
    await store.writeChunk('media-a', 0, chunk(1000));
    await store.writeChunk('media-a', 2, chunk(500));
  });

  it('storedChunk_isRemoved_unmarked_andItsBytesReturned', async () => {
    expect(await store.removeChunk('media-a', 2)).toBe(500);
    expect(await store.readChunk('media-a', 2)).toBeUndefined();
    expect(await store.getMedia('media-a')).toMatchObject({
      stored: new Uint8Array([0b001]),
      storedBytes: 1000,
      storedChunks: 1,
    });
  });

  it('chunkNotStored_freesNothing_changesNothing', async () => {
    expect(await store.removeChunk('media-a', 1)).toBe(0);
    expect(await store.getMedia('media-a')).toMatchObject({ storedBytes: 1500, storedChunks: 2 });
  });

  it('removedTwice_secondFreesNothing', async () => {
    await store.removeChunk('media-a', 0);
    expect(await store.removeChunk('media-a', 0)).toBe(0);
    expect(await store.getMedia('media-a')).toMatchObject({ storedBytes: 500, storedChunks: 1 });
  });

  it('unknownMedia_freesNothing', async () => {
    expect(await store.removeChunk('nope', 0)).toBe(0);
  });
});

describe('IdbChunkStore.touch', () => {
  beforeEach(async () => {
    await store.describeMedia(MEDIA);
  });

  it('touchWithoutPin_setsLastAccess_keepsPin', async () => {
    await store.touch('media-a', NOW + 1, true);
    await store.touch('media-a', NOW + 2);
    expect(await store.getMedia('media-a')).toMatchObject({ lastAccess: NOW + 2, pinned: true });
  });

  it('touchWithPinFalse_unpins', async () => {
    await store.touch('media-a', NOW + 1, true);
    await store.touch('media-a', NOW + 3, false);
    expect(await store.getMedia('media-a')).toMatchObject({ lastAccess: NOW + 3, pinned: false });
  });

  it('touchUnknownMedia_createsNothing', async () => {
    await store.touch('nope', NOW, true);
    expect(await store.getMedia('nope')).toBeUndefined();
  });
});

describe('IdbChunkStore.deleteMedia / listMedia', () => {
  it('deleteMedia_removesRecordAndEveryChunk_otherMediaUntouched', async () => {
    await store.describeMedia(MEDIA);
    await store.describeMedia({ ...MEDIA, key: 'media-a2' });
    await store.writeChunk('media-a', 0, chunk(1000));
    await store.writeChunk('media-a', 2, chunk(500));
    await store.writeChunk('media-a2', 1, chunk(1000));

    await store.deleteMedia('media-a');
    expect(await store.getMedia('media-a')).toBeUndefined();
    expect(await store.readChunk('media-a', 0)).toBeUndefined();
    expect(await store.readChunk('media-a', 2)).toBeUndefined();
    expect(await db.getAllKeys('chunks')).toEqual([['media-a2', 1]]);
    expect((await store.getMedia('media-a2'))?.storedChunks).toBe(1);
  });

  it('deleteUnknownMedia_isANoOp', async () => {
    await store.describeMedia(MEDIA);
    await store.deleteMedia('nope');
    expect((await store.listMedia()).map((m) => m.key)).toEqual(['media-a']);
  });

  it('listMedia_returnsEveryRecord', async () => {
    expect(await store.listMedia()).toEqual([]);
    await store.describeMedia(MEDIA);
    await store.describeMedia({ ...MEDIA, key: 'media-b', size: 10 });
    const listed = await store.listMedia();
    expect(listed.map((m) => [m.key, m.size]).sort()).toEqual([
      ['media-a', 2500],
      ['media-b', 10],
    ]);
  });
});

describe('IdbChunkStore.verify', () => {
  beforeEach(async () => {
    await store.describeMedia(MEDIA);
    await store.describeMedia({ ...MEDIA, key: 'media-b' });
  });

  it('consistentStore_repairsNothing_changesNothing', async () => {
    await store.writeChunk('media-a', 0, chunk(1000));
    await store.writeChunk('media-a', 2, chunk(500));
    await store.writeChunk('media-b', 1, chunk(1000));
    const before = await store.listMedia();

    expect(await store.verify()).toEqual({ media: 2, chunks: 3, repaired: [], orphanChunks: 0 });
    expect(await store.listMedia()).toEqual(before);
    expect(await db.count('chunks')).toBe(3);
  });

  it('emptyStore_repairsNothing', async () => {
    expect(await store.verify()).toEqual({ media: 2, chunks: 0, repaired: [], orphanChunks: 0 });
  });

  it('recordClaimsMoreBytesThanStored_repairedFromTheChunks', async () => {
    await store.writeChunk('media-a', 0, chunk(1000));
    await store.writeChunk('media-b', 2, chunk(500));
    const record = (await store.getMedia('media-a')) as MediaRecord;
    // Claims chunks 0 and 1 (2000 bytes) while only chunk 0 is stored.
    await db.put('media', {
      ...record,
      stored: new Uint8Array([0b011]),
      storedBytes: 2000,
      storedChunks: 2,
    });

    expect(await store.verify()).toEqual({
      media: 2,
      chunks: 2,
      repaired: ['media-a'],
      orphanChunks: 0,
    });
    expect(await store.getMedia('media-a')).toEqual({
      ...record,
      stored: new Uint8Array([0b001]),
      storedBytes: 1000,
      storedChunks: 1,
    });
    expect(await bytesOf(await store.readChunk('media-a', 0))).toEqual(await bytesOf(chunk(1000)));
    expect(await store.getMedia('media-b')).toMatchObject({ storedBytes: 500, storedChunks: 1 });
  });

  it('onlyStoredBytesCorrupted_repaired_bitmapKept', async () => {
    await store.writeChunk('media-a', 1, chunk(1000));
    const record = (await store.getMedia('media-a')) as MediaRecord;
    await db.put('media', { ...record, storedBytes: 7 });
    expect((await store.verify()).repaired).toEqual(['media-a']);
    expect(await store.getMedia('media-a')).toEqual(record);
  });

  it('recordClaimsNothingButChunksAreStored_bitmapAndCountsRebuilt', async () => {
    await store.writeChunk('media-a', 0, chunk(1000));
    await store.writeChunk('media-a', 2, chunk(500));
    const record = (await store.getMedia('media-a')) as MediaRecord;
    await db.put('media', {
      ...record,
      stored: new Uint8Array(1),
      storedBytes: 0,
      storedChunks: 0,
    });

    expect((await store.verify()).repaired).toEqual(['media-a']);
    expect(await store.getMedia('media-a')).toMatchObject({
      stored: new Uint8Array([0b101]),
      storedBytes: 1500,
      storedChunks: 2,
    });
  });

  it('chunkWithoutARecord_deletedAsOrphan_othersKept', async () => {
    await store.writeChunk('media-a', 0, chunk(1000));
    await db.put('chunks', { key: 'gone', index: 0, data: chunk(1000) });
    await db.put('chunks', { key: 'gone', index: 3, data: chunk(10) });

    expect(await store.verify()).toEqual({ media: 2, chunks: 3, repaired: [], orphanChunks: 2 });
    expect(await db.getAllKeys('chunks')).toEqual([['media-a', 0]]);
  });

  it('chunkOfTheWrongLength_deletedAsOrphan_recordRepaired', async () => {
    await store.writeChunk('media-a', 0, chunk(1000));
    await store.writeChunk('media-a', 1, chunk(1000));
    // Chunk 1 replaced by bytes it cannot hold, behind the record's back.
    await db.put('chunks', { key: 'media-a', index: 1, data: chunk(999) });

    expect(await store.verify()).toEqual({
      media: 2,
      chunks: 2,
      repaired: ['media-a'],
      orphanChunks: 1,
    });
    expect(await db.getAllKeys('chunks')).toEqual([['media-a', 0]]);
    expect(await store.getMedia('media-a')).toMatchObject({
      stored: new Uint8Array([0b001]),
      storedBytes: 1000,
      storedChunks: 1,
    });
  });

  it.each<[string, number, number]>([
    ['negativeIndex', -1, 1000],
    ['indexEqualToChunkCount', 3, 500],
    ['emptyChunkJustPastTheEnd', 3, 0],
    ['fractionalIndex', 0.5, 1000],
  ])('chunkAt %s_deletedAsOrphan_notCounted', async (_name, index, length) => {
    await store.writeChunk('media-a', 0, chunk(1000));
    const record = (await store.getMedia('media-a')) as MediaRecord;
    await db.put('chunks', { key: 'media-a', index, data: chunk(length) });

    expect(await store.verify()).toEqual({ media: 2, chunks: 2, repaired: [], orphanChunks: 1 });
    expect(await db.getAllKeys('chunks')).toEqual([['media-a', 0]]);
    expect(await store.getMedia('media-a')).toEqual(record);
  });

  it('emptyChunkPastTheEndOfAnExactMultiple_deletedAsOrphan', async () => {
    // 2000 bytes in chunks of 1000: chunk 2 would be [2000, 2000), 0 bytes long.
    const even: MediaDescription = { ...MEDIA, key: 'even', size: 2000 };
    await store.describeMedia(even);
    await store.writeChunk('even', 1, chunk(1000));
    const record = (await store.getMedia('even')) as MediaRecord;
    await db.put('chunks', { key: 'even', index: 2, data: chunk(0) });

    expect(await store.verify()).toMatchObject({ repaired: [], orphanChunks: 1 });
    expect(await store.getMedia('even')).toEqual(record);
    expect(await db.getAllKeys('chunks')).toEqual([['even', 1]]);
  });

  it('afterRepair_storeIsConsistent_secondVerifyRepairsNothing', async () => {
    await store.writeChunk('media-a', 2, chunk(500));
    const record = (await store.getMedia('media-a')) as MediaRecord;
    await db.put('media', { ...record, storedBytes: 99_999, storedChunks: 9 });
    await db.put('chunks', { key: 'gone', index: 0, data: chunk(5) });
    await store.verify();
    expect(await store.verify()).toEqual({ media: 2, chunks: 1, repaired: [], orphanChunks: 0 });
  });
});
