/**
 * `MediaCache` over a real `IdbChunkStore` on fake-indexeddb, one database per test.
 *
 * The invariant every test ends on (`expectExactAccounting`): the in-memory total
 * (`usage().storedBytes`) equals the sum of the store's records' `storedBytes` AND the sum of the
 * sizes of the chunk records actually in the database (read with the raw db), and every record's
 * bitmap and counts match its chunks.
 *
 * Time: `MediaCache` takes an injected `now` (used by `touch`); `IdbChunkStore` stamps
 * `lastAccess` on describe/write with `Date.now()`. Both read the same test clock, moved by hand.
 */
import 'fake-indexeddb/auto';
import type { IDBPDatabase } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChunkBitmap } from '../../../../src/sw/cache/ChunkBitmap.ts';
import { chunkLength } from '../../../../src/sw/cache/chunkMath.ts';
import {
  type MediaActivity,
  MediaCache,
  type WriteOutcome,
} from '../../../../src/sw/cache/MediaCache.ts';
import type { ChunkStore, MediaDescription } from '../../../../src/sw/store/ChunkStore.ts';
import { IdbChunkStore } from '../../../../src/sw/store/IdbChunkStore.ts';
import { openChunkwiseDb } from '../../../../src/sw/store/openChunkwiseDb.ts';
import type { ChunkwiseDB, MediaRecord } from '../../../../src/sw/store/schema.ts';

const CHUNK = 100;

/** A media of `chunks` chunks of 100 bytes (the last one `last` bytes, default a full one). */
function describeAs(key: string, chunks: number, last = CHUNK): MediaDescription {
  return {
    key,
    url: `https://upstream.test/${key}`,
    size: (chunks - 1) * CHUNK + last,
    contentType: 'video/mp4',
    etag: '"v1"',
    lastModified: null,
    chunkSize: CHUNK,
    validation: 'strong',
  };
}

function blob(length: number, seed = 0): Blob {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (seed + i) & 0xff;
  return new Blob([bytes]);
}

/** The bytes chunk `index` of `d` must hold. */
function chunkOf(d: MediaDescription, index: number): Blob {
  return blob(chunkLength(index, d.size, d.chunkSize), index);
}

let clock = 0;
let dbCount = 0;
let db: IDBPDatabase<ChunkwiseDB>;
let store: IdbChunkStore;

/** Move the clock on by `ms` and return the new time. */
function tick(ms = 1): number {
  clock += ms;
  return clock;
}

beforeEach(async () => {
  clock = 1_000;
  vi.spyOn(Date, 'now').mockImplementation(() => clock);
  db = await openChunkwiseDb(`chunkwise-mediacache-${process.pid}-${++dbCount}`);
  store = new IdbChunkStore(db);
});

afterEach(() => {
  db.close();
  vi.restoreAllMocks();
});

type Estimate = { quota?: number; usage?: number } | null;

function open(
  budget: number,
  options: { store?: ChunkStore; estimate?: () => Promise<Estimate> } = {},
): Promise<MediaCache> {
  return MediaCache.open(options.store ?? store, budget, options.estimate, () => clock);
}

/** Describe `d` and write its chunks `indexes` in order, one clock tick each. */
async function fill(cache: MediaCache, d: MediaDescription, indexes: number[]): Promise<void> {
  tick();
  await cache.describeMedia(d);
  for (const i of indexes) {
    tick();
    expect(await cache.writeChunk(d.key, i, chunkOf(d, i))).toBe('stored');
  }
}

/** Every `key:index` in the chunks store, sorted. */
async function chunkKeys(): Promise<string[]> {
  const keys = await db.getAllKeys('chunks');
  return keys.map(([key, index]) => `${key}:${index}`);
}

/** Indexes of `key`'s chunks in the database, ascending. */
async function storedIndexes(key: string): Promise<number[]> {
  const keys = await db.getAllKeys('chunks');
  return keys
    .filter(([k]) => k === key)
    .map(([, index]) => index)
    .sort((a, b) => a - b);
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

async function expectExactAccounting(cache: MediaCache): Promise<number> {
  const usage = await cache.usage();
  const records = await db.getAll('media');
  const chunks = await db.getAll('chunks');
  const inRecords = sum(records.map((r) => r.storedBytes));
  const inChunks = sum(chunks.map((c) => c.data.size));
  expect({ total: usage.storedBytes, records: inRecords }).toEqual({
    total: inChunks,
    records: inChunks,
  });
  for (const record of records) {
    const own = chunks.filter((c) => c.key === record.key);
    expect({
      key: record.key,
      storedBytes: record.storedBytes,
      storedChunks: record.storedChunks,
      bitmap: ChunkBitmap.from(record.stored).indexes(),
    }).toEqual({
      key: record.key,
      storedBytes: sum(own.map((c) => c.data.size)),
      storedChunks: own.length,
      bitmap: own.map((c) => c.index).sort((a, b) => a - b),
    });
    // The cache's in-memory view of the record agrees with the database.
    const mine = cache.getMedia(record.key);
    expect({
      storedBytes: mine?.storedBytes,
      storedChunks: mine?.storedChunks,
      bitmap: mine && ChunkBitmap.from(mine.stored).indexes(),
    }).toEqual({
      storedBytes: record.storedBytes,
      storedChunks: record.storedChunks,
      bitmap: ChunkBitmap.from(record.stored).indexes(),
    });
  }
  expect(
    cache
      .list()
      .map((e) => e.key)
      .sort(),
  ).toEqual(records.map((r) => r.key).sort());
  return inChunks;
}

/** A `MediaActivity` whose readers and protection the test changes; records what it is told. */
function activity(init: { readers?: number[]; protect?: (i: number) => boolean } = {}) {
  const state = {
    readers: init.readers ?? [],
    protect: init.protect ?? ((_i: number) => false),
    removed: [] as number[],
    deleted: 0,
  };
  const watcher: MediaActivity = {
    readers: () => state.readers,
    isProtected: (i) => state.protect(i),
    removed: (i) => state.removed.push(i),
    deleted: () => {
      state.deleted++;
    },
  };
  return { state, watcher };
}

describe('MediaCache: writes within the budget', () => {
  it('writesWithinBudget_allStored_totalIsTheirBytes_readable', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5, 40);
    await fill(cache, a, [0, 4, 2]);

    expect(await chunkKeys()).toEqual(['a:0', 'a:2', 'a:4']);
    expect((await cache.usage()).storedBytes).toBe(240);
    expect(await (await cache.readChunk('a', 4))?.arrayBuffer()).toEqual(
      await chunkOf(a, 4).arrayBuffer(),
    );
    expect(await expectExactAccounting(cache)).toBe(240);
  });

  it('chunkAlreadyStored_returnsStored_countsNothingTwice', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 3);
    await fill(cache, a, [1]);
    expect(await cache.writeChunk('a', 1, chunkOf(a, 1))).toBe('stored');
    expect((await cache.usage()).storedBytes).toBe(100);
    await expectExactAccounting(cache);
  });

  it('writeExactlyFillingTheBudget_evictsNothing', async () => {
    const cache = await open(300);
    const a = describeAs('a', 3);
    const { state, watcher } = activity();
    cache.watch('a', watcher);
    await fill(cache, a, [0, 1, 2]);
    expect(state.removed).toEqual([]);
    expect(await cache.usage()).toMatchObject({ storedBytes: 300, peakStoredBytes: 300 });
    await expectExactAccounting(cache);
  });

  it('unknownMedia_writeIsNotCached_storesNothing', async () => {
    const cache = await open(1000);
    expect(await cache.writeChunk('nope', 0, blob(100))).toBe('not-cached');
    expect(await chunkKeys()).toEqual([]);
    await expectExactAccounting(cache);
  });

  it('badChunkLength_writeRejectsWithDataError_accountingUnchanged', async () => {
    const cache = await open(1000);
    await fill(cache, describeAs('a', 3), [0]);
    await expect(cache.writeChunk('a', 1, blob(99))).rejects.toMatchObject({ name: 'DataError' });
    expect((await cache.usage()).storedBytes).toBe(100);
    await expectExactAccounting(cache);
    // The queue is not wedged by the failure.
    expect(await cache.writeChunk('a', 1, chunkOf(describeAs('a', 3), 1))).toBe('stored');
  });
});

describe('MediaCache: eviction over budget', () => {
  it('writeOverBudget_evictsFromTheOldestMediaFirst_highestIndexWithoutReaders', async () => {
    const cache = await open(500);
    const a = describeAs('a', 10);
    const b = describeAs('b', 10);
    const aWatch = activity();
    const bWatch = activity();
    cache.watch('a', aWatch.watcher);
    cache.watch('b', bWatch.watcher);
    await fill(cache, a, [0, 1, 2]); // a: last access older
    await fill(cache, b, [0, 1]); // full: 500

    tick();
    expect(await cache.writeChunk('b', 2, chunkOf(b, 2))).toBe('stored');
    expect(aWatch.state.removed).toEqual([2]);
    expect(await storedIndexes('a')).toEqual([0, 1]);

    tick();
    expect(await cache.writeChunk('b', 3, chunkOf(b, 3))).toBe('stored');
    tick();
    expect(await cache.writeChunk('b', 4, chunkOf(b, 4))).toBe('stored');
    expect(aWatch.state.removed).toEqual([2, 1, 0]);
    expect(await storedIndexes('a')).toEqual([]);
    expect(bWatch.state.removed).toEqual([]);

    // `a` has nothing left: now `b`'s own chunks go, highest index first.
    tick();
    expect(await cache.writeChunk('b', 5, chunkOf(b, 5))).toBe('stored');
    expect(bWatch.state.removed).toEqual([4]);
    expect(await storedIndexes('b')).toEqual([0, 1, 2, 3, 5]);

    const usage = await cache.usage();
    expect(usage.storedBytes).toBe(500);
    expect(usage.peakStoredBytes).toBeLessThanOrEqual(500);
    await expectExactAccounting(cache);
  });

  it('oldMediaWithAReader_chunksFarthestFromTheReaderGoFirst', async () => {
    const cache = await open(600);
    const a = describeAs('a', 10);
    const b = describeAs('b', 10);
    const aWatch = activity({ readers: [2] });
    cache.watch('a', aWatch.watcher);
    await fill(cache, a, [0, 1, 2, 3, 4, 5]);
    await fill(cache, b, []);

    for (let i = 0; i < 6; i++) {
      tick();
      expect(await cache.writeChunk('b', i, chunkOf(b, i))).toBe('stored');
    }
    // distances from 2: 0→2, 1→1, 3→1, 4→2, 5→3; ties go to the higher index.
    expect(aWatch.state.removed).toEqual([5, 4, 0, 3, 1, 2]);
    await expectExactAccounting(cache);
  });

  it('touchedMedia_becomesNewest_theOtherOneLosesChunks', async () => {
    const cache = await open(400);
    const a = describeAs('a', 10);
    const b = describeAs('b', 10);
    await fill(cache, a, [0, 1]);
    await fill(cache, b, [0, 1]);
    tick();
    await cache.touch('a'); // a is now the most recent

    tick();
    expect(await cache.writeChunk('a', 2, chunkOf(a, 2))).toBe('stored');
    expect(await storedIndexes('a')).toEqual([0, 1, 2]);
    expect(await storedIndexes('b')).toEqual([0]);
    await expectExactAccounting(cache);
  });

  it('manyWritesOverBudget_peakNeverExceedsBudget_totalExactAfterEach', async () => {
    const budget = 730; // not a multiple of the chunk size
    const cache = await open(budget);
    const media = [describeAs('a', 8, 30), describeAs('b', 6, 70), describeAs('c', 9)];
    for (const d of media) await fill(cache, d, []);
    const order: [number, number][] = [];
    for (let round = 0; round < 9; round++)
      for (let m = 0; m < media.length; m++) order.push([m, (round * 5 + m) % 9]);

    for (const [m, rawIndex] of order) {
      const d = media[m] as MediaDescription;
      const index = rawIndex % Math.ceil(d.size / CHUNK);
      tick();
      expect(await cache.writeChunk(d.key, index, chunkOf(d, index))).toBe('stored');
      const stored = await expectExactAccounting(cache);
      expect(stored).toBeLessThanOrEqual(budget);
      expect((await cache.usage()).peakStoredBytes).toBeLessThanOrEqual(budget);
    }
  });
});

describe('MediaCache: evicting chunks of the media being written', () => {
  it('fileTenTimesTheBudget_writtenInOrderWithAMovingReader_staysWithinBudgetAtEveryStep', async () => {
    const budget = 1000; // 10 chunks
    const cache = await open(budget);
    const film = describeAs('film', 100, 60); // 9960 bytes: ~10× the budget
    const reader = activity();
    cache.watch('film', reader.watcher);
    tick();
    await cache.describeMedia(film);

    let written = 0;
    for (let i = 0; i < 100; i++) {
      // The reader plays chunk i; its window (i … i+2) is protected, as MediaRuntime does.
      reader.state.readers = [i];
      reader.state.protect = (c) => c >= i && c <= i + 2;
      tick();
      expect(await cache.writeChunk('film', i, chunkOf(film, i))).toBe('stored');
      written += chunkLength(i, film.size, CHUNK);

      const usage = await cache.usage();
      const inDb = await expectExactAccounting(cache);
      expect(usage.storedBytes).toBeLessThanOrEqual(budget);
      expect(inDb).toBeLessThanOrEqual(budget);
      expect(usage.peakStoredBytes).toBeLessThanOrEqual(budget);
      // The chunks behind the reader went first: the last ten written are the ones kept.
      const first = Math.max(0, i - 9);
      expect(await storedIndexes('film')).toEqual(
        Array.from({ length: i - first + 1 }, (_, k) => first + k),
      );
    }
    expect(reader.state.removed).toEqual(Array.from({ length: 90 }, (_, k) => k));
    expect(written).toBe(9960);
    expect((await cache.usage()).storedBytes).toBe(9 * CHUNK + 60);
  });

  it('sameMediaEvictionThenAQuotaRetry_totalStillExact', async () => {
    const flaky = new FlakyStore(store);
    const cache = await open(300, { store: flaky });
    const a = describeAs('a', 10);
    await fill(cache, a, [0, 1, 2]);
    flaky.quotaFailures = 1;
    tick();
    // Room for chunk 3 means evicting a:2; the quota error lowers the budget to 200 and evicts
    // a:1 too before the retry.
    expect(await cache.writeChunk('a', 3, chunkOf(a, 3))).toBe('stored');
    expect(await storedIndexes('a')).toEqual([0, 3]);
    expect(await cache.usage()).toMatchObject({ storedBytes: 200, budget: 200, quotaErrors: 1 });
    await expectExactAccounting(cache);
  });
});

describe('MediaCache: what is never evicted', () => {
  it('protectedChunks_neverEvicted_otherChunksOfTheMediaGo', async () => {
    const cache = await open(400);
    const a = describeAs('a', 10);
    const b = describeAs('b', 10);
    const aWatch = activity({ protect: (i) => i === 3 || i === 1 });
    cache.watch('a', aWatch.watcher);
    await fill(cache, a, [0, 1, 2, 3]);
    await fill(cache, b, []);
    tick();
    expect(await cache.writeChunk('b', 0, chunkOf(b, 0))).toBe('stored');
    tick();
    expect(await cache.writeChunk('b', 1, chunkOf(b, 1))).toBe('stored');
    expect(aWatch.state.removed).toEqual([2, 0]);
    expect(await storedIndexes('a')).toEqual([1, 3]);
    await expectExactAccounting(cache);
  });

  it('everythingProtected_writeIsNoRoom_storesAndEvictsNothing', async () => {
    const cache = await open(300);
    const a = describeAs('a', 10);
    const aWatch = activity({ protect: () => true });
    cache.watch('a', aWatch.watcher);
    await fill(cache, a, [0, 1, 2]);

    tick();
    const outcome: WriteOutcome = await cache.writeChunk('a', 3, chunkOf(a, 3));
    expect(outcome).toBe('no-room');
    expect(await chunkKeys()).toEqual(['a:0', 'a:1', 'a:2']);
    expect(aWatch.state.removed).toEqual([]);
    expect((await cache.usage()).storedBytes).toBe(300);
    await expectExactAccounting(cache);
  });

  it('someEvictableButNotEnough_writeIsNoRoom_evictsNothingForNothing', async () => {
    const cache = await open(300);
    const a = describeAs('a', 3);
    const big: MediaDescription = { ...describeAs('big', 1), size: 250, chunkSize: 250 };
    const aWatch = activity({ protect: (i) => i < 2 });
    cache.watch('a', aWatch.watcher);
    await fill(cache, a, [0, 1, 2]);
    await fill(cache, big, []);

    tick();
    // 250 bytes need 250 freed; only a:2 (100) may go.
    expect(await cache.writeChunk('big', 0, blob(250))).toBe('no-room');
    expect(aWatch.state.removed).toEqual([]);
    expect(await chunkKeys()).toEqual(['a:0', 'a:1', 'a:2']);
    await expectExactAccounting(cache);
  });

  it('chunkBiggerThanTheWholeBudget_noRoom_nothingEvicted', async () => {
    const cache = await open(100);
    const a = describeAs('a', 3);
    const big: MediaDescription = { ...describeAs('big', 1), size: 150, chunkSize: 150 };
    await fill(cache, a, [0]);
    await fill(cache, big, []);
    expect(await cache.writeChunk('big', 0, blob(150))).toBe('no-room');
    expect(await chunkKeys()).toEqual(['a:0']);
    await expectExactAccounting(cache);
  });

  it('pinnedMedia_neverEvicted_evenWhenOldest', async () => {
    const cache = await open(400);
    const p = describeAs('p', 10);
    const b = describeAs('b', 10);
    const c = describeAs('c', 10);
    await fill(cache, p, [0, 1]);
    await cache.setPinned('p', true);
    tick(-100); // make the pinned media the oldest by far
    await cache.touch('p');
    tick(200);
    await fill(cache, b, [0, 1]);
    await fill(cache, c, []);
    expect(cache.list()[0]?.key).toBe('p');

    for (const i of [0, 1]) {
      tick();
      expect(await cache.writeChunk('c', i, chunkOf(c, i))).toBe('stored');
    }
    expect(await storedIndexes('p')).toEqual([0, 1]);
    expect(await storedIndexes('b')).toEqual([]);

    // Only the pinned media and c's own chunks are left: c's go, p's stay.
    tick();
    expect(await cache.writeChunk('c', 2, chunkOf(c, 2))).toBe('stored');
    expect(await storedIndexes('p')).toEqual([0, 1]);
    expect(await storedIndexes('c')).toEqual([0, 2]);
    await expectExactAccounting(cache);
  });

  it('onlyPinnedMediaStored_writeIsNoRoom', async () => {
    const cache = await open(200);
    const p = describeAs('p', 10);
    await fill(cache, p, [0, 1]);
    await cache.setPinned('p', true);
    tick();
    expect(await cache.writeChunk('p', 2, chunkOf(p, 2))).toBe('no-room');
    expect(await storedIndexes('p')).toEqual([0, 1]);
    await expectExactAccounting(cache);
  });

  it('unpinned_becomesEvictableAgain', async () => {
    const cache = await open(200);
    const p = describeAs('p', 10);
    const b = describeAs('b', 10);
    await fill(cache, p, [0, 1]);
    await cache.setPinned('p', true);
    await fill(cache, b, []);
    expect(await cache.writeChunk('b', 0, chunkOf(b, 0))).toBe('no-room');
    await cache.setPinned('p', false);
    tick();
    await cache.touch('b');
    expect(await cache.writeChunk('b', 0, chunkOf(b, 0))).toBe('stored');
    expect(await storedIndexes('p')).toEqual([0]);
    await expectExactAccounting(cache);
  });
});

describe('MediaCache: activity callbacks', () => {
  it('removed_firesOncePerEvictedChunk_onlyForItsMedia', async () => {
    const cache = await open(300);
    const a = describeAs('a', 10);
    const b = describeAs('b', 10);
    const aWatch = activity();
    const aWatch2 = activity();
    const bWatch = activity();
    cache.watch('a', aWatch.watcher);
    cache.watch('a', aWatch2.watcher);
    cache.watch('b', bWatch.watcher);
    await fill(cache, a, [0, 1, 2]);
    await fill(cache, b, [0, 1]);
    expect(aWatch.state.removed).toEqual([2, 1]);
    expect(aWatch2.state.removed).toEqual([2, 1]);
    expect(bWatch.state.removed).toEqual([]);
  });

  it('unwatched_activityIsToldNothingAndProtectsNothing', async () => {
    const cache = await open(200);
    const a = describeAs('a', 10);
    const aWatch = activity({ protect: () => true });
    const unwatch = cache.watch('a', aWatch.watcher);
    await fill(cache, a, [0, 1]);
    expect(await cache.writeChunk('a', 2, chunkOf(a, 2))).toBe('no-room');
    unwatch();
    expect(await cache.writeChunk('a', 2, chunkOf(a, 2))).toBe('stored');
    expect(aWatch.state.removed).toEqual([]);
    await cache.delete('a');
    expect(aWatch.state.deleted).toBe(0);
  });

  it('delete_firesDeleted', async () => {
    const cache = await open(1000);
    const aWatch = activity();
    cache.watch('a', aWatch.watcher);
    await fill(cache, describeAs('a', 3), [0]);
    expect(await cache.delete('a')).toBe(true);
    expect(aWatch.state.deleted).toBe(1);
  });

  it('describeMediaWithChangedContent_dropsChunks_firesDeleted_totalDown', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    const bWatch = activity();
    const aWatch = activity();
    cache.watch('a', aWatch.watcher);
    cache.watch('b', bWatch.watcher);
    await fill(cache, a, [0, 1, 2]);
    await fill(cache, describeAs('b', 5), [0]);

    const record = await cache.describeMedia({ ...a, etag: '"v2"' });
    expect(record.storedBytes).toBe(0);
    expect(aWatch.state.deleted).toBe(1);
    expect(bWatch.state.deleted).toBe(0);
    expect(await chunkKeys()).toEqual(['b:0']);
    expect((await cache.usage()).storedBytes).toBe(100);
    await expectExactAccounting(cache);
  });

  it('describeMediaWithSameContent_keepsChunks_firesNothing', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    const aWatch = activity();
    cache.watch('a', aWatch.watcher);
    await fill(cache, a, [0, 1]);
    await cache.describeMedia({ ...a, url: 'https://cdn.test/a?sig=2' });
    expect(aWatch.state.deleted).toBe(0);
    expect((await cache.usage()).storedBytes).toBe(200);
    expect(cache.getMedia('a')?.url).toBe('https://cdn.test/a?sig=2');
    await expectExactAccounting(cache);
  });
});

describe('MediaCache: delete and clear', () => {
  it('deletedMedia_laterWritesAreNotCached_totalDown', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    await fill(cache, a, [0, 1]);
    await fill(cache, describeAs('b', 5), [0]);

    expect(await cache.delete('a')).toBe(true);
    expect(await cache.writeChunk('a', 2, chunkOf(a, 2))).toBe('not-cached');
    expect(cache.getMedia('a')).toBeUndefined();
    expect(await chunkKeys()).toEqual(['b:0']);
    expect((await cache.usage()).storedBytes).toBe(100);
    await expectExactAccounting(cache);
  });

  it('deleteUnknownMedia_false', async () => {
    const cache = await open(1000);
    expect(await cache.delete('nope')).toBe(false);
  });

  it('deleteQueuedBehindAWrite_writeLandsFirst_thenAllIsGone', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    await fill(cache, a, []);
    const [write, deleted, late] = await Promise.all([
      cache.writeChunk('a', 0, chunkOf(a, 0)),
      cache.delete('a'),
      cache.writeChunk('a', 1, chunkOf(a, 1)),
    ]);
    expect([write, deleted, late]).toEqual(['stored', true, 'not-cached']);
    expect(await chunkKeys()).toEqual([]);
    await expectExactAccounting(cache);
  });

  it('clear_removesEveryMedia_totalZero', async () => {
    const cache = await open(1000);
    await fill(cache, describeAs('a', 5), [0, 1]);
    await fill(cache, describeAs('b', 5), [3]);
    await cache.setPinned('b', true);
    await cache.clear();
    expect(cache.list()).toEqual([]);
    expect(await db.count('media')).toBe(0);
    expect(await chunkKeys()).toEqual([]);
    expect((await cache.usage()).storedBytes).toBe(0);
    await expectExactAccounting(cache);
  });
});

describe('MediaCache: concurrent writes', () => {
  it('twentyConcurrentWritesToTwoMedia_budgetOfEightChunks_exactAccounting', async () => {
    const budget = 8 * CHUNK;
    const cache = await open(budget);
    const a = describeAs('a', 10);
    const b = describeAs('b', 10, 50);
    await cache.describeMedia(a);
    await cache.describeMedia(b);
    const aWatch = activity();
    const bWatch = activity();
    cache.watch('a', aWatch.watcher);
    cache.watch('b', bWatch.watcher);

    const writes: Promise<WriteOutcome>[] = [];
    for (let i = 0; i < 10; i++) {
      writes.push(cache.writeChunk('a', i, chunkOf(a, i)));
      writes.push(cache.writeChunk('b', 9 - i, chunkOf(b, 9 - i)));
    }
    const outcomes = await Promise.all(writes);

    expect(outcomes).toEqual(Array(20).fill('stored'));
    const usage = await cache.usage();
    const inDb = await expectExactAccounting(cache);
    expect(usage.storedBytes).toBe(inDb);
    expect(inDb).toBeLessThanOrEqual(budget);
    expect(inDb).toBeGreaterThan(budget - CHUNK);
    expect(usage.peakStoredBytes).toBeLessThanOrEqual(budget);
    // Every chunk written is either still stored or was reported removed, exactly once.
    for (const [key, watch] of [
      ['a', aWatch],
      ['b', bWatch],
    ] as const) {
      const kept = await storedIndexes(key);
      expect([...kept, ...watch.state.removed].sort((x, y) => x - y)).toEqual([
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
      ]);
    }
  });

  it('concurrentWritesOfTheSameChunk_countedOnce', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    await cache.describeMedia(a);
    const outcomes = await Promise.all(
      [0, 1, 2, 3, 4].map(() => cache.writeChunk('a', 2, chunkOf(a, 2))),
    );
    expect(outcomes).toEqual(Array(5).fill('stored'));
    expect((await cache.usage()).storedBytes).toBe(100);
    await expectExactAccounting(cache);
  });
});

/** Delegates to a real store; `writeChunk` throws a `QuotaExceededError` `quotaFailures` times. */
class FlakyStore implements ChunkStore {
  quotaFailures = 0;
  writeAttempts = 0;

  constructor(private readonly inner: ChunkStore) {}

  getMedia(key: string) {
    return this.inner.getMedia(key);
  }
  listMedia() {
    return this.inner.listMedia();
  }
  describeMedia(d: MediaDescription) {
    return this.inner.describeMedia(d);
  }
  readChunk(key: string, index: number) {
    return this.inner.readChunk(key, index);
  }
  readChunks(key: string, from: number, to: number) {
    return this.inner.readChunks(key, from, to);
  }
  async writeChunk(key: string, index: number, data: Blob): Promise<MediaRecord> {
    this.writeAttempts++;
    if (this.quotaFailures > 0) {
      this.quotaFailures--;
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    return this.inner.writeChunk(key, index, data);
  }
  removeChunk(key: string, index: number) {
    return this.inner.removeChunk(key, index);
  }
  touch(key: string, at: number, pinned?: boolean) {
    return this.inner.touch(key, at, pinned);
  }
  deleteMedia(key: string) {
    return this.inner.deleteMedia(key);
  }
  verify() {
    return this.inner.verify();
  }
}

describe('MediaCache: QuotaExceededError', () => {
  it('quotaErrorOnce_budgetLoweredToWhatIsStored_evicts_retriesOnce_stored', async () => {
    const flaky = new FlakyStore(store);
    const cache = await open(1000, { store: flaky });
    const a = describeAs('a', 10);
    const b = describeAs('b', 10);
    const aWatch = activity();
    cache.watch('a', aWatch.watcher);
    await fill(cache, a, [0, 1, 2]);
    await fill(cache, b, [0, 1]);
    flaky.writeAttempts = 0;
    flaky.quotaFailures = 1;

    tick();
    expect(await cache.writeChunk('b', 2, chunkOf(b, 2))).toBe('stored');
    expect(flaky.writeAttempts).toBe(2);
    expect(aWatch.state.removed).toEqual([2]);
    expect(await chunkKeys()).toEqual(['a:0', 'a:1', 'b:0', 'b:1', 'b:2']);
    const usage = await cache.usage();
    expect(usage).toMatchObject({
      storedBytes: 500,
      budget: 500,
      configuredBudget: 1000,
      quotaErrors: 1,
    });
    expect(usage.peakStoredBytes).toBe(500);
    await expectExactAccounting(cache);

    // The lowered budget holds for later writes.
    tick();
    expect(await cache.writeChunk('b', 3, chunkOf(b, 3))).toBe('stored');
    expect(await storedIndexes('a')).toEqual([0]);
    expect((await cache.usage()).storedBytes).toBe(500);
    await expectExactAccounting(cache);
  });

  it('quotaCeiling_survivesRefreshBudget_estimateCannotRaiseItAgain', async () => {
    const flaky = new FlakyStore(store);
    const cache = await open(1000, { store: flaky });
    const a = describeAs('a', 10);
    await fill(cache, a, [0, 1, 2, 3, 4]);
    flaky.quotaFailures = 1;
    tick();
    expect(await cache.writeChunk('a', 5, chunkOf(a, 5))).toBe('stored');
    expect((await cache.usage()).budget).toBe(500);
    // A new session re-reads the (optimistic) estimate: the ceiling the browser taught us holds.
    await cache.refreshBudget();
    expect((await cache.usage()).budget).toBe(500);
    tick();
    expect(await cache.writeChunk('a', 6, chunkOf(a, 6))).toBe('stored');
    expect(flaky.writeAttempts).toBe(8);
    expect((await cache.usage()).quotaErrors).toBe(1);
    await expectExactAccounting(cache);
  });

  it('quotaErrorTwice_writeRejects_chunkNotStored_accountingExact', async () => {
    const flaky = new FlakyStore(store);
    const cache = await open(1000, { store: flaky });
    const a = describeAs('a', 10);
    await fill(cache, a, [0, 1, 2]);
    flaky.writeAttempts = 0;
    flaky.quotaFailures = 2;

    tick();
    await expect(cache.writeChunk('a', 3, chunkOf(a, 3))).rejects.toMatchObject({
      name: 'QuotaExceededError',
    });
    expect(flaky.writeAttempts).toBe(2);
    expect(await storedIndexes('a')).not.toContain(3);
    expect(await cache.usage()).toMatchObject({ quotaErrors: 1, budget: 300 });
    await expectExactAccounting(cache);

    // Nothing is wedged: the next write goes through.
    tick();
    expect(await cache.writeChunk('a', 4, chunkOf(a, 4))).toBe('stored');
    await expectExactAccounting(cache);
  });

  it('quotaErrorWithNothingEvictable_noRoom_nothingStored', async () => {
    const flaky = new FlakyStore(store);
    const cache = await open(1000, { store: flaky });
    const a = describeAs('a', 10);
    cache.watch('a', activity({ protect: () => true }).watcher);
    await fill(cache, a, [0, 1]);
    flaky.quotaFailures = 1;
    tick();
    expect(await cache.writeChunk('a', 2, chunkOf(a, 2))).toBe('no-room');
    expect(await storedIndexes('a')).toEqual([0, 1]);
    expect(await cache.usage()).toMatchObject({ budget: 200, quotaErrors: 1, storedBytes: 200 });
    await expectExactAccounting(cache);
  });

  it('otherErrorFromTheStore_rejects_notCountedAsQuota', async () => {
    const failing = new FlakyStore(store);
    failing.writeChunk = async () => {
      throw new Error('disk on fire');
    };
    const cache = await open(1000, { store: failing });
    await fill(cache, describeAs('a', 3), []);
    await expect(cache.writeChunk('a', 0, blob(100))).rejects.toThrow('disk on fire');
    expect(await cache.usage()).toMatchObject({ quotaErrors: 0, budget: 1000, storedBytes: 0 });
    await expectExactAccounting(cache);
  });
});

describe('MediaCache: budget changes', () => {
  it('setBudgetLower_evictsDownToIt_LRUOrder', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 10);
    const b = describeAs('b', 10);
    await fill(cache, a, [0, 1, 2, 3]);
    await fill(cache, b, [0, 1, 2, 3]);

    await cache.setBudget(450);
    expect(await storedIndexes('a')).toEqual([]);
    expect(await storedIndexes('b')).toEqual([0, 1, 2, 3]);
    await cache.setBudget(250);
    expect(await storedIndexes('b')).toEqual([0, 1]);
    expect(await cache.usage()).toMatchObject({
      storedBytes: 200,
      budget: 250,
      configuredBudget: 250,
    });
    await expectExactAccounting(cache);
  });

  it('setBudgetZero_evictsEverythingButPinnedAndProtected', async () => {
    const cache = await open(1000);
    await fill(cache, describeAs('p', 5), [0, 1]);
    await cache.setPinned('p', true);
    cache.watch('a', activity({ protect: (i) => i === 0 }).watcher);
    await fill(cache, describeAs('a', 5), [0, 1, 2]);
    await fill(cache, describeAs('b', 5), [0]);

    await cache.setBudget(0);
    // Not everything over the budget can go: then nothing is evicted for nothing.
    expect(await chunkKeys()).toEqual(['a:0', 'a:1', 'a:2', 'b:0', 'p:0', 'p:1']);
    await expectExactAccounting(cache);

    await cache.setPinned('p', false);
    await cache.setBudget(100);
    expect(await chunkKeys()).toEqual(['a:0']);
    await expectExactAccounting(cache);
  });

  it('setBudgetHigher_evictsNothing', async () => {
    const cache = await open(300);
    await fill(cache, describeAs('a', 5), [0, 1, 2]);
    await cache.setBudget(5000);
    expect(await chunkKeys()).toEqual(['a:0', 'a:1', 'a:2']);
    expect((await cache.usage()).budget).toBe(5000);
  });

  it('browserEstimateBelowConfigured_lowersTheBudget_refreshEvicts', async () => {
    let estimate: Estimate = null;
    const cache = await open(1000, { estimate: async () => estimate });
    const a = describeAs('a', 10);
    await fill(cache, a, [0, 1, 2, 3, 4]);
    expect((await cache.usage()).budget).toBe(1000);

    // quota 500, usage 600 of which 500 are ours → others 100 → 0.9 × 400 = 360.
    estimate = { quota: 500, usage: 600 };
    await cache.refreshBudget();
    expect(await cache.usage()).toMatchObject({
      budget: 360,
      configuredBudget: 1000,
      browserQuota: 500,
      browserUsage: 600,
      storedBytes: 300,
    });
    expect(await storedIndexes('a')).toEqual([0, 1, 2]);
    await expectExactAccounting(cache);
  });

  it('estimateThatThrows_isIgnored_configuredBudgetKept', async () => {
    const cache = await open(700, {
      estimate: async () => {
        throw new Error('no storage manager');
      },
    });
    expect(await cache.usage()).toMatchObject({
      budget: 700,
      browserQuota: null,
      browserUsage: null,
    });
  });

  it('reopenedOverBudget_evictsDownAtOpen_fromTheStoredRecords', async () => {
    const first = await open(1000);
    await fill(first, describeAs('a', 10), [0, 1, 2, 3, 4, 5]);
    const second = await open(300);
    expect(await storedIndexes('a')).toEqual([0, 1, 2]);
    expect(await second.usage()).toMatchObject({ storedBytes: 300, budget: 300 });
    await expectExactAccounting(second);
  });
});

describe('MediaCache: verify', () => {
  it('recordWithCorruptedStoredBytes_repaired_inMemoryTotalReloaded', async () => {
    const cache = await open(10_000);
    const a = describeAs('a', 5);
    await fill(cache, a, [0, 1, 2]);
    await fill(cache, describeAs('b', 5), [4]);
    const record = (await db.get('media', 'a')) as MediaRecord;
    await db.put('media', { ...record, storedBytes: 4242, storedChunks: 7 });

    // A cache opened now loads the lie.
    const reopened = await open(10_000);
    expect((await reopened.usage()).storedBytes).toBe(4242 + 100);

    const repair = await reopened.verify();
    expect(repair).toEqual({ media: 2, chunks: 4, repaired: ['a'], orphanChunks: 0 });
    expect((await reopened.usage()).storedBytes).toBe(400);
    expect(reopened.getMedia('a')).toMatchObject({ storedBytes: 300, storedChunks: 3 });
    await expectExactAccounting(reopened);
  });

  it('consistentStore_repairsNothing_totalUnchanged', async () => {
    const cache = await open(10_000);
    await fill(cache, describeAs('a', 5), [0, 4]);
    expect(await cache.verify()).toEqual({ media: 1, chunks: 2, repaired: [], orphanChunks: 0 });
    expect((await cache.usage()).storedBytes).toBe(200);
    await expectExactAccounting(cache);
  });

  it('afterVerify_evictionUsesTheRepairedRecord', async () => {
    const cache = await open(300);
    const a = describeAs('a', 10);
    await fill(cache, a, [0, 1]);
    const record = (await db.get('media', 'a')) as MediaRecord;
    // The record claims chunk 5 too, which is not stored.
    await db.put('media', {
      ...record,
      stored: ChunkBitmap.from(record.stored).with(5).toBytes(),
      storedBytes: 300,
      storedChunks: 3,
    });
    const reopened = await open(300);
    await reopened.verify();
    tick();
    expect(await reopened.writeChunk('a', 2, chunkOf(a, 2))).toBe('stored');
    expect(await storedIndexes('a')).toEqual([0, 1, 2]);
    await expectExactAccounting(reopened);
  });
});

describe('MediaCache: list, touch, pinnedBytes', () => {
  it('list_isInLRUOrder_withEveryField', async () => {
    const cache = await open(10_000);
    const a = describeAs('a', 5, 40); // 440 bytes
    const b = describeAs('b', 3); // 300 bytes
    const c = describeAs('c', 1, 1); // 1 byte
    await fill(cache, a, [0, 4]); // lastAccess 1003
    await fill(cache, b, [1]); // 1005
    await fill(cache, c, []); // 1006
    tick(10);
    await cache.setPinned('a', true); // 1016

    expect(cache.list()).toEqual([
      {
        key: 'b',
        url: 'https://upstream.test/b',
        size: 300,
        storedBytes: 100,
        chunkSize: 100,
        chunkCount: 3,
        storedChunks: 1,
        lastAccess: 1005,
        pinned: false,
      },
      {
        key: 'c',
        url: 'https://upstream.test/c',
        size: 1,
        storedBytes: 0,
        chunkSize: 100,
        chunkCount: 1,
        storedChunks: 0,
        lastAccess: 1006,
        pinned: false,
      },
      {
        key: 'a',
        url: 'https://upstream.test/a',
        size: 440,
        storedBytes: 140,
        chunkSize: 100,
        chunkCount: 5,
        storedChunks: 2,
        lastAccess: 1016,
        pinned: true,
      },
    ]);
    // touch is persisted as well.
    expect(await db.get('media', 'a')).toMatchObject({ lastAccess: 1016, pinned: true });
  });

  it('writeCountsAsAnAccess_movesTheMediaToTheEndOfTheList', async () => {
    const cache = await open(10_000);
    const a = describeAs('a', 5);
    await fill(cache, a, []);
    await fill(cache, describeAs('b', 5), []);
    expect(cache.list().map((e) => e.key)).toEqual(['a', 'b']);
    tick();
    await cache.writeChunk('a', 0, chunkOf(a, 0));
    expect(cache.list().map((e) => e.key)).toEqual(['b', 'a']);
  });

  it('touchWithoutPin_keepsThePin_touchUnknown_isANoOp', async () => {
    const cache = await open(10_000);
    await fill(cache, describeAs('a', 5), []);
    await cache.setPinned('a', true);
    tick();
    await cache.touch('a');
    expect(cache.getMedia('a')).toMatchObject({ pinned: true, lastAccess: clock });
    await cache.setPinned('nope', true);
    expect(cache.getMedia('nope')).toBeUndefined();
    expect(await db.get('media', 'nope')).toBeUndefined();
  });

  it('touch_ordersAtOnce_persistsOnlyWhenFlushed', async () => {
    const cache = await open(10_000);
    await fill(cache, describeAs('a', 5), []);
    await fill(cache, describeAs('b', 5), []);
    const stored = (await db.get('media', 'a'))?.lastAccess;
    tick();
    cache.touch('a');
    // The eviction order sees the access immediately; the database not yet (no transaction per
    // request).
    expect(cache.list().map((e) => e.key)).toEqual(['b', 'a']);
    expect((await db.get('media', 'a'))?.lastAccess).toBe(stored);
    await cache.persistTouches();
    expect((await db.get('media', 'a'))?.lastAccess).toBe(clock);
  });

  it('pinAfterQueuedWrite_isNotOverwrittenByTheWritesRecord', async () => {
    const cache = await open(10_000);
    const a = describeAs('a', 5);
    await fill(cache, a, []);
    await Promise.all([cache.writeChunk('a', 0, chunkOf(a, 0)), cache.setPinned('a', true)]);
    expect(cache.getMedia('a')?.pinned).toBe(true);
    expect((await db.get('media', 'a'))?.pinned).toBe(true);
  });

  it('pinnedBytes_sumsFullSizesOfPinnedMedia_exceptTheOneNamed', async () => {
    const cache = await open(10_000);
    await fill(cache, describeAs('a', 5, 40), [0]); // 440
    await fill(cache, describeAs('b', 3), []); // 300
    await fill(cache, describeAs('c', 2), [0, 1]); // 200, never pinned
    expect(cache.pinnedBytes()).toBe(0);
    await cache.setPinned('a', true);
    await cache.setPinned('b', true);
    expect(cache.pinnedBytes()).toBe(740);
    expect(cache.pinnedBytes('a')).toBe(300);
    expect(cache.pinnedBytes('nope')).toBe(740);
    await cache.setPinned('b', false);
    expect(cache.pinnedBytes()).toBe(440);
  });
});
