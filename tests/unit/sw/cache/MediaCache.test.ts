/**
 * `MediaCache` over a real `IdbChunkStore` on fake-indexeddb, one database per test, seen through
 * `ProbeStore` (a delegating `ChunkStore` that records evictions and touches and injects the
 * faults a browser produces: a full disk, a broken backend, a write held in flight).
 *
 * The invariant every test ends on (`expectExactAccounting`): the cache's total
 * (`usage().storedBytes`) is the sum of the sizes of the chunks really in the store
 * (`listChunks()`), and every media `list()` shows holds exactly the store's chunks of it.
 *
 * Time: `MediaCache` takes an injected `now`; the tests move that clock by hand (`tick`).
 */
import 'fake-indexeddb/auto';
import type { IDBPDatabase } from 'idb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chunkLength } from '../../../../src/sw/cache/chunkMath.ts';
import {
  type MediaActivity,
  MediaCache,
  type MediaDescription,
  type WriteOutcome,
} from '../../../../src/sw/cache/MediaCache.ts';
import type { Estimate } from '../../../../src/sw/cache/QuotaBudget.ts';
import type { MediaMeta } from '../../../../src/sw/store/ChunkStore.ts';
import { putRecord } from '../../../../src/sw/store/chunkRecords.ts';
import { IdbChunkStore } from '../../../../src/sw/store/IdbChunkStore.ts';
import { openChunkwiseDb } from '../../../../src/sw/store/openChunkwiseDb.ts';
import { StaleWriteError } from '../../../../src/sw/store/StaleWriteError.ts';
import type { ChunkRecord, ChunkwiseDB } from '../../../../src/sw/store/schema.ts';
import { gate } from '../support/gate.ts';
import { PassThroughStore } from '../support/PassThroughStore.ts';

const CHUNK = 100;

/** A media of `chunks` chunks of 100 bytes (the last one `last` bytes, default a full one). */
function describeAs(key: string, chunks: number, last = CHUNK): MediaDescription {
  return {
    key,
    url: `https://upstream.test/${key}`,
    size: (chunks - 1) * CHUNK + last,
    contentType: 'video/mp4',
    etag: '"v1"',
    lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT',
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
function chunkOf(d: Pick<MediaDescription, 'size' | 'chunkSize'>, index: number): Blob {
  return blob(chunkLength(index, d.size, d.chunkSize), index);
}

function quotaError(): DOMException {
  return new DOMException('The quota has been exceeded.', 'QuotaExceededError');
}

/** Activity of one runtime: readers at `readers`, read windows, chunks being downloaded. */
function activity(
  init: { readers?: number[]; windows?: [number, number][]; busy?: number[] } = {},
): MediaActivity {
  return {
    readers: init.readers ?? [],
    windows: init.windows ?? [],
    busy: new Set(init.busy ?? []),
  };
}

/**
 * A `ChunkStore` that delegates to the real one, records what the cache asks of it, and can fail
 * or hold chunk writes.
 */
class ProbeStore extends PassThroughStore {
  /** Every `deleteChunk`, as `key:index`, in call order (evictions and orphan removals). */
  readonly deleted: string[] = [];
  /** Every `touch` that reached the store. */
  readonly touched: [string, number][] = [];
  putAttempts = 0;
  /** Thrown by the next chunk writes, one each, instead of writing. */
  readonly putFailures: unknown[] = [];
  /** While set, every chunk write runs it (and waits for it) before it goes on. */
  beforePut: (() => Promise<void>) | null = null;

  override touch(key: string, at: number): Promise<void> {
    this.touched.push([key, at]);
    return this.inner.touch(key, at);
  }
  override async putChunk(key: string, version: number, index: number, data: Blob): Promise<void> {
    this.putAttempts++;
    if (this.beforePut) await this.beforePut();
    if (this.putFailures.length > 0) throw this.putFailures.shift();
    return this.inner.putChunk(key, version, index, data);
  }
  override deleteChunk(key: string, index: number): Promise<void> {
    this.deleted.push(`${key}:${index}`);
    return this.inner.deleteChunk(key, index);
  }
  override deleteChunks(key: string, indexes: number[]): Promise<number[]> {
    for (const index of indexes) this.deleted.push(`${key}:${index}`);
    return this.inner.deleteChunks(key, indexes);
  }
}

let clock = 0;
let dbCount = 0;
let db: IDBPDatabase<ChunkwiseDB>;
/** The real store, for looking behind the cache's back. */
let idb: IdbChunkStore;
/** What the cache is opened on. */
let store: ProbeStore;
const opened: MediaCache[] = [];

/** Move the clock on by `ms` and return the new time. */
function tick(ms = 1): number {
  clock += ms;
  return clock;
}

beforeEach(async () => {
  clock = 1_000;
  db = await openChunkwiseDb(`chunkwise-mediacache-${process.pid}-${++dbCount}`);
  idb = new IdbChunkStore(db, { merge: true });
  store = new ProbeStore(idb);
});

afterEach(() => {
  for (const cache of opened.splice(0)) cache.release();
  db.close();
});

async function open(budget: number, estimate?: Estimate): Promise<MediaCache> {
  const cache = await MediaCache.open(store, budget, estimate, () => clock);
  opened.push(cache);
  return cache;
}

/** Describe `d` and write its chunks `indexes` in order, one clock tick each; its version. */
async function fill(cache: MediaCache, d: MediaDescription, indexes: number[]): Promise<number> {
  tick();
  const { meta } = await cache.describeMedia(d);
  for (const i of indexes) {
    tick();
    expect(await cache.writeChunk(d.key, meta.version, i, chunkOf(d, i))).toBe('stored');
  }
  return meta.version;
}

/** Write chunk `index` of `d` under the version the cache holds now. */
function write(cache: MediaCache, d: MediaDescription, index: number): Promise<WriteOutcome> {
  const version = cache.getMedia(d.key)?.version ?? 0;
  return cache.writeChunk(d.key, version, index, chunkOf(d, index));
}

/** Write a chunk record straight into the database, in the store's format (record and extent). */
async function putBehindTheBack(record: ChunkRecord): Promise<void> {
  const tx = db.transaction(['chunks', 'extents'], 'readwrite');
  await putRecord(tx, record);
  await tx.done;
}

/** Every `key:index` in the store, sorted by key then index. */
async function chunkKeys(): Promise<string[]> {
  const chunks = await idb.listChunks();
  return chunks
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index))
    .map((c) => `${c.key}:${c.index}`);
}

/** Indexes of `key`'s chunks in the store, ascending. */
async function storedIndexes(key: string): Promise<number[]> {
  return (await idb.listChunks(key)).map((c) => c.index).sort((a, b) => a - b);
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The cache's accounting equals what the store really holds; returns the bytes stored. */
async function expectExactAccounting(cache: MediaCache): Promise<number> {
  const [usage, chunks, metas] = await Promise.all([
    cache.usage(),
    idb.listChunks(),
    idb.listMedia(),
  ]);
  const inStore = sum(chunks.map((c) => c.size));
  expect(usage.storedBytes).toBe(inStore);
  const listed = cache.list();
  expect(listed.map((e) => e.key).sort()).toEqual(metas.map((m) => m.key).sort());
  for (const entry of listed) {
    const own = chunks.filter((c) => c.key === entry.key);
    const indexes = Array.from({ length: entry.chunkCount }, (_, i) => i);
    expect({
      key: entry.key,
      storedBytes: entry.storedBytes,
      storedChunks: entry.storedChunks,
      counted: cache.storedChunks(entry.key),
      indexes: indexes.filter((i) => cache.isStored(entry.key, i)),
    }).toEqual({
      key: entry.key,
      storedBytes: sum(own.map((c) => c.size)),
      storedChunks: own.length,
      counted: own.length,
      indexes: own.map((c) => c.index).sort((a, b) => a - b),
    });
  }
  return inStore;
}

describe('MediaCache: writes within the budget', () => {
  it('writesWithinBudget_allStored_totalIsTheirBytes_readable', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5, 40);
    await fill(cache, a, [0, 4, 2]);

    expect(await chunkKeys()).toEqual(['a:0', 'a:2', 'a:4']);
    expect(await cache.usage()).toMatchObject({ store: 'indexeddb', storedBytes: 240 });
    expect(await (await cache.readChunk('a', 4))?.arrayBuffer()).toEqual(
      await chunkOf(a, 4).arrayBuffer(),
    );
    expect(await expectExactAccounting(cache)).toBe(240);
  });

  it('chunkAlreadyStored_returnsStored_writesAndCountsNothingTwice', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 3);
    await fill(cache, a, [1]);
    expect(await write(cache, a, 1)).toBe('stored');
    expect(store.putAttempts).toBe(1);
    expect((await cache.usage()).storedBytes).toBe(100);
    await expectExactAccounting(cache);
  });

  it('writeExactlyFillingTheBudget_evictsNothing', async () => {
    const cache = await open(300);
    await fill(cache, describeAs('a', 3), [0, 1, 2]);
    expect(store.deleted).toEqual([]);
    expect(await cache.usage()).toMatchObject({ storedBytes: 300, peakStoredBytes: 300 });
    await expectExactAccounting(cache);
  });

  it('unknownMedia_writeIsNotCached_storesNothing', async () => {
    const cache = await open(1000);
    expect(await cache.writeChunk('nope', 1, 0, blob(100))).toBe('not-cached');
    expect(store.putAttempts).toBe(0);
    expect(await chunkKeys()).toEqual([]);
    await expectExactAccounting(cache);
  });

  it.each<[string, number, number]>([
    ['tooShort', 1, 99],
    ['tooLong', 1, 101],
    ['fullLengthForTheShortLastChunk', 2, 100],
    ['empty', 1, 0],
    ['indexEqualToChunkCount', 3, 50],
    ['negativeIndex', -1, 100],
    ['fractionalIndex', 0.5, 100],
  ])('%s_writeRejectsWithDataError_nothingStored', async (_name, index, length) => {
    const cache = await open(1000);
    const a = describeAs('a', 3, 50);
    const version = await fill(cache, a, [0]);
    await expect(cache.writeChunk('a', version, index, blob(length))).rejects.toMatchObject({
      name: 'DataError',
    });
    expect(await chunkKeys()).toEqual(['a:0']);
    expect((await cache.usage()).storedBytes).toBe(100);
    await expectExactAccounting(cache);
    // The queue is not wedged by the failure.
    expect(await write(cache, a, 1)).toBe('stored');
  });
});

describe('MediaCache: content versions', () => {
  it('newMedia_versionOne_accessNow_notPinned_persisted', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 3);
    tick();
    const expected: MediaMeta = { ...a, version: 1, lastAccess: clock, pinned: false };
    expect(await cache.describeMedia(a)).toEqual({ meta: expected, dropped: false });
    expect(cache.getMedia('a')).toEqual(expected);
    expect(await idb.getMedia('a')).toEqual(expected);
  });

  it('sameContentFromANewUrl_keepsChunksAndVersion_urlUpdated', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    const version = await fill(cache, a, [0, 1]);
    const { meta, dropped } = await cache.describeMedia({ ...a, url: 'https://cdn.test/a?sig=2' });
    expect(dropped).toBe(false);
    expect(meta).toMatchObject({ version, url: 'https://cdn.test/a?sig=2' });
    expect(await idb.getMedia('a')).toEqual(meta);
    expect(await storedIndexes('a')).toEqual([0, 1]);
    expect((await cache.usage()).storedBytes).toBe(200);
    await expectExactAccounting(cache);
  });

  it('validatorsHiddenNow_keepsChunksAndTheKnownValidators', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    const version = await fill(cache, a, [0]);
    const { meta, dropped } = await cache.describeMedia({
      ...a,
      etag: null,
      lastModified: null,
      validation: 'length-only',
    });
    expect(dropped).toBe(false);
    expect(meta).toMatchObject({
      version,
      etag: a.etag,
      lastModified: a.lastModified,
      validation: 'length-only',
    });
    expect(await storedIndexes('a')).toEqual([0]);
    await expectExactAccounting(cache);
  });

  it.each<[string, Partial<MediaDescription>]>([
    ['size', { size: 600 }],
    ['chunkSize', { chunkSize: 50 }],
    ['etag', { etag: '"v2"' }],
    ['lastModified', { lastModified: 'Thu, 22 Oct 2015 07:28:00 GMT' }],
  ])('%sChanged_dropsChunks_newVersion_pinKept_otherMediaUntouched', async (_field, change) => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    const old = await fill(cache, a, [0, 1, 2]);
    await cache.setPinned('a', true);
    await fill(cache, describeAs('b', 5), [0]);

    const changed = { ...a, ...change };
    const { meta, dropped } = await cache.describeMedia(changed);
    expect(dropped).toBe(true);
    expect(meta.version).toBeGreaterThan(old);
    expect(meta).toMatchObject({ ...changed, pinned: true });
    expect(await idb.getMedia('a')).toEqual(meta);
    expect(await chunkKeys()).toEqual(['b:0']);
    expect((await cache.usage()).storedBytes).toBe(100);
    await expectExactAccounting(cache);

    // A download still carrying the old version is refused; the new content is written.
    expect(await cache.writeChunk('a', old, 3, chunkOf(a, 3))).toBe('not-cached');
    expect(await cache.writeChunk('a', meta.version, 0, chunkOf(changed, 0))).toBe('stored');
    expect(await chunkKeys()).toEqual(['a:0', 'b:0']);
    await expectExactAccounting(cache);
  });

  it('changedContentWithNothingStored_newVersion_notReportedAsDropped', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    const old = await fill(cache, a, []);
    const { meta, dropped } = await cache.describeMedia({ ...a, etag: '"v2"' });
    expect(dropped).toBe(false);
    expect(meta.version).toBeGreaterThan(old);
  });

  it.each<[string, number]>([
    ['older', -1],
    ['newer', 1],
  ])('%sVersionWrite_notCached_nothingStored', async (_name, offset) => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    await fill(cache, a, [0]);
    const { meta } = await cache.describeMedia({ ...a, etag: '"v2"' });
    const attempts = store.putAttempts;

    const outcome = await cache.writeChunk('a', meta.version + offset, 1, chunkOf(a, 1));
    expect(outcome).toBe('not-cached');
    expect(store.putAttempts).toBe(attempts);
    expect(await chunkKeys()).toEqual([]);
    await expectExactAccounting(cache);
  });

  it('versionChangesWhileTheWriteIsQueued_writeNotCached_nothingOfTheOldContentKept', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    const old = await fill(cache, a, []);
    const reached = gate();
    const held = gate();
    store.beforePut = async () => {
      reached.open();
      await held.promise;
    };

    // The first write is held in the store; the change and the second write queue behind it.
    const first = cache.writeChunk('a', old, 0, chunkOf(a, 0));
    const change = cache.describeMedia({ ...a, etag: '"v2"' });
    const second = cache.writeChunk('a', old, 1, chunkOf(a, 1));
    await reached.promise;
    held.open();

    expect(await first).toBe('stored');
    const { meta, dropped } = await change;
    expect(dropped).toBe(true);
    expect(meta.version).toBeGreaterThan(old);
    expect(await second).toBe('not-cached');
    expect(store.putAttempts).toBe(1);
    expect(await chunkKeys()).toEqual([]);
    expect((await cache.usage()).storedBytes).toBe(0);
    await expectExactAccounting(cache);
  });

  it('storeRefusesWithStaleWriteError_notCached_nothingStored', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    const version = await fill(cache, a, [0]);
    // Another worker moved the media to a new version behind this cache's back.
    const meta = (await idb.getMedia('a')) as MediaMeta;
    await idb.putMedia({ ...meta, version: version + 1 });

    tick();
    expect(await write(cache, a, 1)).toBe('not-cached');
    expect(cache.isStored('a', 1)).toBe(false);
    expect(await chunkKeys()).toEqual(['a:0']);
    await expectExactAccounting(cache);
  });

  it('staleWriteErrorOnTheQuotaRetry_notCached_quotaCounted', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    const version = await fill(cache, a, [0, 1]);
    store.putFailures.push(quotaError(), new StaleWriteError('a', version, version + 1));

    tick();
    expect(await write(cache, a, 2)).toBe('not-cached');
    expect(store.putAttempts).toBe(4);
    expect(await cache.usage()).toMatchObject({ quotaErrors: 1, budget: 200 });
    // Room was made for the retry (a:1 went) before the store refused the stale bytes.
    expect(store.deleted).toEqual(['a:1']);
    expect(await chunkKeys()).toEqual(['a:0']);
    await expectExactAccounting(cache);
  });

  it('deleteThenDescribeAgain_newHigherVersion_oldVersionWritesStillRefused', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    const old = await fill(cache, a, [0]);
    expect(await cache.delete('a')).toBe(true);

    const { meta, dropped } = await cache.describeMedia(a);
    expect(dropped).toBe(false);
    expect(meta.version).toBeGreaterThan(old);
    expect(await cache.writeChunk('a', old, 1, chunkOf(a, 1))).toBe('not-cached');
    expect(await cache.writeChunk('a', meta.version, 2, chunkOf(a, 2))).toBe('stored');
    expect(await chunkKeys()).toEqual(['a:2']);
    await expectExactAccounting(cache);
  });

  it('deleteNamingAnOlderVersion_deletesNothing', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    const version = await fill(cache, a, [0, 1]);
    expect(await cache.delete('a', version - 1)).toBe(false);
    expect(await chunkKeys()).toEqual(['a:0', 'a:1']);
    expect(await cache.delete('a', version)).toBe(true);
    expect(await chunkKeys()).toEqual([]);
  });
});

describe('MediaCache: reads', () => {
  it('readChunkMissingFromTheStore_unmarksItInTheIndex', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    await fill(cache, a, [0, 1]);
    // Removed behind the cache's back (e.g. a browser clearing site data mid-session).
    await idb.deleteChunk('a', 1);
    expect(cache.isStored('a', 1)).toBe(true);

    expect(await cache.readChunk('a', 1)).toBeUndefined();
    expect(cache.isStored('a', 1)).toBe(false);
    expect(cache.storedChunks('a')).toBe(1);
    expect((await cache.usage()).storedBytes).toBe(100);
    await expectExactAccounting(cache);

    // Downloaded again, it is stored and counted again.
    expect(await write(cache, a, 1)).toBe('stored');
    await expectExactAccounting(cache);
  });

  it('readChunkNeverStored_undefined_indexUnchanged', async () => {
    const cache = await open(1000);
    await fill(cache, describeAs('a', 5), [0]);
    expect(await cache.readChunk('a', 3)).toBeUndefined();
    expect(await cache.readChunk('nope', 0)).toBeUndefined();
    expect(cache.storedChunks('a')).toBe(1);
    await expectExactAccounting(cache);
  });

  it('readSpan_allStored_backToBack_elseNull', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5, 40);
    await fill(cache, a, [2, 3, 4]);
    const span = await cache.readSpan('a', 2, 4);
    expect([...new Uint8Array((await span?.arrayBuffer()) ?? new ArrayBuffer(0))]).toEqual([
      ...new Uint8Array(await new Blob([2, 3, 4].map((i) => chunkOf(a, i))).arrayBuffer()),
    ]);
    expect(await cache.readSpan('a', 1, 3)).toBeNull();
  });
});

describe('MediaCache: chunks read again are merged', () => {
  it('spanOfAWholeStoredMedia_mergedIntoOneValue_readsEvictionAndAccountingAsBefore', async () => {
    const cache = await open(500);
    const a = describeAs('a', 5, 40);
    await fill(cache, a, [0, 1, 2, 3, 4]);
    expect(await db.count('chunks')).toBe(5);
    await cache.readSpan('a', 1, 2);
    await cache.setPinned('a', false); // the write queue: runs once the merge is done
    expect(await db.count('chunks'), 'stored values').toBe(1);
    expect(await storedIndexes('a')).toEqual([0, 1, 2, 3, 4]);
    for (const i of [0, 1, 2, 3, 4]) {
      const back = await cache.readChunk('a', i);
      expect(new Uint8Array((await back?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(
        new Uint8Array(await chunkOf(a, i).arrayBuffer()),
      );
    }
    await expectExactAccounting(cache);

    // Over budget: the merged media loses its highest chunks, the others keep their bytes.
    await fill(cache, describeAs('b', 3), [0, 1, 2]);
    expect(await storedIndexes('a')).toEqual([0, 1]);
    expect(store.deleted).toEqual(['a:4', 'a:3', 'a:2']);
    const rest = await cache.readSpan('a', 0, 1);
    expect(new Uint8Array((await rest?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(
      new Uint8Array(await new Blob([chunkOf(a, 0), chunkOf(a, 1)]).arrayBuffer()),
    );
    await expectExactAccounting(cache);
  });
});

describe('MediaCache: eviction over budget', () => {
  it('writeOverBudget_evictsFromTheOldestMediaFirst_highestIndexWithoutReaders', async () => {
    const cache = await open(500);
    const a = describeAs('a', 10);
    const b = describeAs('b', 10);
    await fill(cache, a, [0, 1, 2]); // a: last access older
    await fill(cache, b, [0, 1]); // full: 500

    tick();
    expect(await write(cache, b, 2)).toBe('stored');
    expect(store.deleted).toEqual(['a:2']);
    expect(await storedIndexes('a')).toEqual([0, 1]);

    tick();
    expect(await write(cache, b, 3)).toBe('stored');
    tick();
    expect(await write(cache, b, 4)).toBe('stored');
    expect(store.deleted).toEqual(['a:2', 'a:1', 'a:0']);
    expect(await storedIndexes('a')).toEqual([]);

    // `a` has nothing left: now `b`'s own chunks go, highest index first.
    tick();
    expect(await write(cache, b, 5)).toBe('stored');
    expect(store.deleted).toEqual(['a:2', 'a:1', 'a:0', 'b:4']);
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
    cache.reportActivity('a', {}, activity({ readers: [2] }));
    await fill(cache, a, [0, 1, 2, 3, 4, 5]);
    await fill(cache, b, []);

    for (let i = 0; i < 6; i++) {
      tick();
      expect(await write(cache, b, i)).toBe('stored');
    }
    // distances from 2: 0→2, 1→1, 3→1, 4→2, 5→3; ties go to the higher index.
    expect(store.deleted).toEqual(['a:5', 'a:4', 'a:0', 'a:3', 'a:1', 'a:2']);
    await expectExactAccounting(cache);
  });

  it('touchedMedia_becomesNewest_theOtherOneLosesChunks', async () => {
    const cache = await open(400);
    const a = describeAs('a', 10);
    const b = describeAs('b', 10);
    await fill(cache, a, [0, 1]);
    await fill(cache, b, [0, 1]);
    tick();
    cache.touch('a'); // a is now the most recent

    tick();
    expect(await write(cache, a, 2)).toBe('stored');
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
      expect(await write(cache, d, index)).toBe('stored');
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
    const runtime = {};
    tick();
    await cache.describeMedia(film);

    let written = 0;
    for (let i = 0; i < 100; i++) {
      // The reader plays chunk i, its window is i … i+2 and chunk i is being downloaded.
      cache.reportActivity(
        'film',
        runtime,
        activity({ readers: [i], windows: [[i, i + 2]], busy: [i] }),
      );
      tick();
      expect(await write(cache, film, i)).toBe('stored');
      written += chunkLength(i, film.size, CHUNK);

      const usage = await cache.usage();
      const inStore = await expectExactAccounting(cache);
      expect(usage.storedBytes).toBeLessThanOrEqual(budget);
      expect(inStore).toBeLessThanOrEqual(budget);
      expect(usage.peakStoredBytes).toBeLessThanOrEqual(budget);
      // The chunks behind the reader went first: the last ten written are the ones kept.
      const first = Math.max(0, i - 9);
      expect(await storedIndexes('film')).toEqual(
        Array.from({ length: i - first + 1 }, (_, k) => first + k),
      );
    }
    expect(store.deleted).toEqual(Array.from({ length: 90 }, (_, k) => `film:${k}`));
    expect(written).toBe(9960);
    expect((await cache.usage()).storedBytes).toBe(9 * CHUNK + 60);
  });

  it('budgetOfManyChunks_evictsInBatchesOfABudgetSixtyFourth_fewerPlans_withinBudget', async () => {
    const budget = 512 * CHUNK; // 512 chunks: a batch is 8 chunks (1/64 of the budget)
    const cache = await open(budget);
    const film = describeAs('film', 1024);
    tick();
    await cache.describeMedia(film);
    const evictionsBefore: number[] = [];
    const runtime = {};
    for (let i = 0; i < 1024; i++) {
      cache.reportActivity(
        'film',
        runtime,
        activity({ readers: [i], windows: [[i, i + 2]], busy: [i] }),
      );
      const deleted = store.deleted.length;
      expect(await write(cache, film, i)).toBe('stored');
      if (store.deleted.length > deleted) evictionsBefore.push(i);
      expect((await cache.usage()).storedBytes).toBeLessThanOrEqual(budget);
    }
    await expectExactAccounting(cache);
    // Past the budget (from chunk 512), every eviction freed its chunk and 8 more: one write in
    // nine evicted, the others found room.
    expect(evictionsBefore[0]).toBe(512);
    expect(evictionsBefore).toHaveLength(Math.ceil(512 / 9));
    expect(store.deleted.slice(0, 9)).toEqual(Array.from({ length: 9 }, (_, k) => `film:${k}`));
  });

  it('batchCannotBeFreed_writeStillStoredWithWhatCanGo', async () => {
    const budget = 512 * CHUNK;
    const cache = await open(budget);
    const film = describeAs('film', 520);
    tick();
    await cache.describeMedia(film);
    // Everything but chunks 0 and 1 is protected: the eviction can free 2 chunks, not a batch.
    cache.reportActivity('film', {}, activity({ windows: [[2, 519]] }));
    for (let i = 0; i < 512; i++) expect(await write(cache, film, i)).toBe('stored');
    expect(await write(cache, film, 512)).toBe('stored');
    expect(store.deleted).toEqual(['film:1']); // nobody reads: the highest index goes first
    await expectExactAccounting(cache);
  });

  it('sameMediaEvictionThenAQuotaRetry_totalStillExact', async () => {
    const cache = await open(300);
    const a = describeAs('a', 10);
    await fill(cache, a, [0, 1, 2]);
    store.putFailures.push(quotaError());
    tick();
    // Room for chunk 3 means evicting a:2; the quota error lowers the budget to 200 and evicts
    // a:1 too before the retry.
    expect(await write(cache, a, 3)).toBe('stored');
    expect(store.deleted).toEqual(['a:2', 'a:1']);
    expect(await storedIndexes('a')).toEqual([0, 3]);
    expect(await cache.usage()).toMatchObject({ storedBytes: 200, budget: 200, quotaErrors: 1 });
    await expectExactAccounting(cache);
  });
});

describe('MediaCache: what is never evicted', () => {
  it('chunksInAReadWindowOrBeingDownloaded_neverEvicted_otherChunksOfTheMediaGo', async () => {
    const cache = await open(400);
    const a = describeAs('a', 10);
    const b = describeAs('b', 10);
    cache.reportActivity('a', {}, activity({ windows: [[3, 3]], busy: [1] }));
    await fill(cache, a, [0, 1, 2, 3]);
    await fill(cache, b, []);
    tick();
    expect(await write(cache, b, 0)).toBe('stored');
    tick();
    expect(await write(cache, b, 1)).toBe('stored');
    expect(store.deleted).toEqual(['a:2', 'a:0']);
    expect(await storedIndexes('a')).toEqual([1, 3]);
    await expectExactAccounting(cache);
  });

  it('everythingProtected_writeIsNoRoom_storesAndEvictsNothing', async () => {
    const cache = await open(300);
    const a = describeAs('a', 10);
    cache.reportActivity('a', {}, activity({ windows: [[0, 9]] }));
    await fill(cache, a, [0, 1, 2]);

    tick();
    expect(await write(cache, a, 3)).toBe('no-room');
    expect(await chunkKeys()).toEqual(['a:0', 'a:1', 'a:2']);
    expect(store.deleted).toEqual([]);
    expect(store.putAttempts).toBe(3);
    expect((await cache.usage()).storedBytes).toBe(300);
    await expectExactAccounting(cache);
  });

  it('someEvictableButNotEnough_writeIsNoRoom_evictsNothingForNothing', async () => {
    const cache = await open(300);
    const a = describeAs('a', 3);
    const big: MediaDescription = { ...describeAs('big', 1), size: 250, chunkSize: 250 };
    cache.reportActivity('a', {}, activity({ windows: [[0, 1]] }));
    await fill(cache, a, [0, 1, 2]);
    await fill(cache, big, []);

    tick();
    // 250 bytes need 250 freed; only a:2 (100) may go.
    expect(await write(cache, big, 0)).toBe('no-room');
    expect(store.deleted).toEqual([]);
    expect(await chunkKeys()).toEqual(['a:0', 'a:1', 'a:2']);
    await expectExactAccounting(cache);
  });

  it('chunkBiggerThanTheWholeBudget_noRoom_nothingEvicted', async () => {
    const cache = await open(100);
    const big: MediaDescription = { ...describeAs('big', 1), size: 150, chunkSize: 150 };
    await fill(cache, describeAs('a', 3), [0]);
    await fill(cache, big, []);
    expect(await write(cache, big, 0)).toBe('no-room');
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
    cache.touch('p');
    tick(200);
    await fill(cache, b, [0, 1]);
    await fill(cache, c, []);
    expect(cache.list()[0]?.key).toBe('p');

    for (const i of [0, 1]) {
      tick();
      expect(await write(cache, c, i)).toBe('stored');
    }
    expect(await storedIndexes('p')).toEqual([0, 1]);
    expect(await storedIndexes('b')).toEqual([]);

    // Only the pinned media and c's own chunks are left: c's go, p's stay.
    tick();
    expect(await write(cache, c, 2)).toBe('stored');
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
    expect(await write(cache, p, 2)).toBe('no-room');
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
    expect(await write(cache, b, 0)).toBe('no-room');
    await cache.setPinned('p', false);
    tick();
    cache.touch('b');
    expect(await write(cache, b, 0)).toBe('stored');
    expect(await storedIndexes('p')).toEqual([0]);
    await expectExactAccounting(cache);
  });

  it('activityReportedDone_protectsNothingAnymore', async () => {
    const cache = await open(200);
    const a = describeAs('a', 10);
    const runtime = {};
    cache.reportActivity('a', runtime, activity({ windows: [[0, 9]] }));
    await fill(cache, a, [0, 1]);
    expect(await write(cache, a, 2)).toBe('no-room');
    cache.reportActivity('a', runtime, null);
    expect(await write(cache, a, 2)).toBe('stored');
    expect(store.deleted).toEqual(['a:1']);
    await expectExactAccounting(cache);
  });

  it('twoRuntimesOnOneMedia_eachProtectsItsChunks_untilItIsDone', async () => {
    const cache = await open(200);
    const a = describeAs('a', 10);
    const player = {};
    const download = {};
    cache.reportActivity('a', player, activity({ readers: [0], windows: [[0, 0]] }));
    cache.reportActivity('a', download, activity({ busy: [1] }));
    await fill(cache, a, [0, 1]);
    expect(await write(cache, a, 2)).toBe('no-room');

    cache.reportActivity('a', player, null);
    expect(await write(cache, a, 2)).toBe('stored');
    expect(store.deleted).toEqual(['a:0']);
    expect(await storedIndexes('a')).toEqual([1, 2]);
    await expectExactAccounting(cache);
  });
});

describe('MediaCache: delete and clear', () => {
  it('deletedMedia_laterWritesAreNotCached_totalDown', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    const version = await fill(cache, a, [0, 1]);
    await fill(cache, describeAs('b', 5), [0]);

    expect(await cache.delete('a')).toBe(true);
    expect(await cache.writeChunk('a', version, 2, chunkOf(a, 2))).toBe('not-cached');
    expect(cache.getMedia('a')).toBeUndefined();
    expect(await idb.getMedia('a')).toBeUndefined();
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
    const version = await fill(cache, a, []);
    const [written, deleted, late] = await Promise.all([
      cache.writeChunk('a', version, 0, chunkOf(a, 0)),
      cache.delete('a'),
      cache.writeChunk('a', version, 1, chunkOf(a, 1)),
    ]);
    expect([written, deleted, late]).toEqual(['stored', true, 'not-cached']);
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
    expect(await idb.listMedia()).toEqual([]);
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
    const va = (await cache.describeMedia(a)).meta.version;
    const vb = (await cache.describeMedia(b)).meta.version;

    const writes: Promise<WriteOutcome>[] = [];
    for (let i = 0; i < 10; i++) {
      writes.push(cache.writeChunk('a', va, i, chunkOf(a, i)));
      writes.push(cache.writeChunk('b', vb, 9 - i, chunkOf(b, 9 - i)));
    }
    const outcomes = await Promise.all(writes);

    expect(outcomes).toEqual(Array(20).fill('stored'));
    const usage = await cache.usage();
    const inStore = await expectExactAccounting(cache);
    expect(usage.storedBytes).toBe(inStore);
    expect(inStore).toBeLessThanOrEqual(budget);
    expect(inStore).toBeGreaterThan(budget - CHUNK);
    expect(usage.peakStoredBytes).toBeLessThanOrEqual(budget);
    // Every chunk written is either still stored or was evicted, exactly once.
    for (const key of ['a', 'b']) {
      const kept = await storedIndexes(key);
      const evicted = store.deleted
        .filter((k) => k.startsWith(`${key}:`))
        .map((k) => Number(k.slice(2)));
      expect([...kept, ...evicted].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });

  it('concurrentWritesOfTheSameChunk_storedOnce_countedOnce', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 5);
    const { meta } = await cache.describeMedia(a);
    const outcomes = await Promise.all(
      [0, 1, 2, 3, 4].map(() => cache.writeChunk('a', meta.version, 2, chunkOf(a, 2))),
    );
    expect(outcomes).toEqual(Array(5).fill('stored'));
    expect(store.putAttempts).toBe(1);
    expect((await cache.usage()).storedBytes).toBe(100);
    await expectExactAccounting(cache);
  });
});

describe('MediaCache: QuotaExceededError', () => {
  it('quotaErrorOnce_budgetLoweredToWhatIsStored_evicts_retriesOnce_stored', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 10);
    const b = describeAs('b', 10);
    await fill(cache, a, [0, 1, 2]);
    await fill(cache, b, [0, 1]);
    store.putAttempts = 0;
    store.putFailures.push(quotaError());

    tick();
    expect(await write(cache, b, 2)).toBe('stored');
    expect(store.putAttempts).toBe(2);
    expect(store.deleted).toEqual(['a:2']);
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
    expect(await write(cache, b, 3)).toBe('stored');
    expect(await storedIndexes('a')).toEqual([0]);
    expect((await cache.usage()).storedBytes).toBe(500);
    await expectExactAccounting(cache);
  });

  it('quotaCeiling_survivesRefreshBudget_estimateCannotRaiseItAgain', async () => {
    const cache = await open(1000, async () => ({ quota: 10 ** 12, usage: 0 }));
    const a = describeAs('a', 10);
    await fill(cache, a, [0, 1, 2, 3, 4]);
    store.putFailures.push(quotaError());
    tick();
    expect(await write(cache, a, 5)).toBe('stored');
    expect((await cache.usage()).budget).toBe(500);
    // A new session re-reads the (optimistic) estimate: the ceiling the browser taught us holds.
    await cache.refreshBudget();
    expect((await cache.usage()).budget).toBe(500);
    await cache.setBudget(2000);
    expect(await cache.usage()).toMatchObject({ budget: 500, configuredBudget: 2000 });
    tick();
    expect(await write(cache, a, 6)).toBe('stored');
    expect(store.putAttempts).toBe(8);
    expect((await cache.usage()).quotaErrors).toBe(1);
    await expectExactAccounting(cache);
  });

  it('quotaErrorTwice_writeRejects_chunkNotStored_accountingExact', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 10);
    await fill(cache, a, [0, 1, 2]);
    store.putAttempts = 0;
    store.putFailures.push(quotaError(), quotaError());

    tick();
    await expect(write(cache, a, 3)).rejects.toMatchObject({ name: 'QuotaExceededError' });
    expect(store.putAttempts).toBe(2);
    expect(await storedIndexes('a')).not.toContain(3);
    expect(cache.isStored('a', 3)).toBe(false);
    expect(await cache.usage()).toMatchObject({ quotaErrors: 1, budget: 300 });
    await expectExactAccounting(cache);

    // Nothing is wedged: the next write goes through.
    tick();
    expect(await write(cache, a, 4)).toBe('stored');
    await expectExactAccounting(cache);
  });

  it('quotaErrorWithNothingEvictable_noRoom_nothingStored', async () => {
    const cache = await open(1000);
    const a = describeAs('a', 10);
    cache.reportActivity('a', {}, activity({ windows: [[0, 9]] }));
    await fill(cache, a, [0, 1]);
    store.putFailures.push(quotaError());
    tick();
    expect(await write(cache, a, 2)).toBe('no-room');
    expect(await storedIndexes('a')).toEqual([0, 1]);
    expect(await cache.usage()).toMatchObject({ budget: 200, quotaErrors: 1, storedBytes: 200 });
    await expectExactAccounting(cache);
  });

  it.each<[string, Error]>([
    ['plainError', new Error('disk on fire')],
    ['unknownError', new DOMException('backend broke', 'UnknownError')],
    ['invalidStateError', new DOMException('database closing', 'InvalidStateError')],
  ])('%sFromTheStore_rejects_notCountedAsQuota_budgetKept', async (_name, error) => {
    const cache = await open(1000);
    const a = describeAs('a', 3);
    await fill(cache, a, []);
    store.putFailures.push(error);
    await expect(write(cache, a, 0)).rejects.toBe(error);
    expect(store.putAttempts).toBe(1);
    expect(await cache.usage()).toMatchObject({ quotaErrors: 0, budget: 1000, storedBytes: 0 });
    await expectExactAccounting(cache);
    // The queue is not wedged by the failure.
    expect(await write(cache, a, 0)).toBe('stored');
  });
});

describe('MediaCache: budget changes', () => {
  it('setBudgetLower_evictsDownToIt_LRUOrder', async () => {
    const cache = await open(1000);
    await fill(cache, describeAs('a', 10), [0, 1, 2, 3]);
    await fill(cache, describeAs('b', 10), [0, 1, 2, 3]);

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
    cache.reportActivity('a', {}, activity({ busy: [0] }));
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
    expect(store.deleted).toEqual([]);
    expect((await cache.usage()).budget).toBe(5000);
  });

  it('browserEstimateBelowConfigured_lowersTheBudget_refreshEvicts', async () => {
    let estimate: { quota?: number; usage?: number } | null = null;
    const cache = await open(1000, async () => estimate);
    await fill(cache, describeAs('a', 10), [0, 1, 2, 3, 4]);
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
    const cache = await open(700, async () => {
      throw new Error('no storage manager');
    });
    expect(await cache.usage()).toMatchObject({
      budget: 700,
      browserQuota: null,
      browserUsage: null,
    });
  });
});

describe('MediaCache: open', () => {
  it('reopened_rebuildsTheIndexFromTheStore_versionsKept_writesGoOn', async () => {
    const first = await open(1000);
    const a = describeAs('a', 5, 40);
    const va = await fill(first, a, [0, 4]);
    const vb = await fill(first, describeAs('b', 3), [1]);

    const second = await open(1000);
    expect(second.getMedia('a')).toMatchObject({ version: va });
    expect(second.list().map((e) => [e.key, e.storedChunks, e.storedBytes])).toEqual(
      first.list().map((e) => [e.key, e.storedChunks, e.storedBytes]),
    );
    expect(await second.usage()).toMatchObject({ storedBytes: 240 });
    expect(await second.writeChunk('a', va, 1, chunkOf(a, 1))).toBe('stored');
    // A media described after the reopen gets a version no media had.
    const { meta } = await second.describeMedia(describeAs('c', 2));
    expect(meta.version).toBeGreaterThan(Math.max(va, vb));
    await expectExactAccounting(second);
  });

  it('reopenedOverBudget_evictsDownAtOpen', async () => {
    const first = await open(1000);
    await fill(first, describeAs('a', 10), [0, 1, 2, 3, 4, 5]);
    const second = await open(300);
    expect(await storedIndexes('a')).toEqual([0, 1, 2]);
    expect(await second.usage()).toMatchObject({ storedBytes: 300, budget: 300 });
    await expectExactAccounting(second);
  });

  it('orphanChunksInTheStore_deletedAtOpen', async () => {
    const first = await open(1000);
    await fill(first, describeAs('a', 3), [0, 1]);
    // Left by an interrupted delete or a broken write: chunks no media can hold.
    await putBehindTheBack({ key: 'ghost', index: 0, data: blob(100) });
    await putBehindTheBack({ key: 'a', index: 2, data: blob(7) });

    const second = await open(1000);
    expect(await chunkKeys()).toEqual(['a:0', 'a:1']);
    expect((await second.usage()).storedBytes).toBe(200);
    await expectExactAccounting(second);
  });
});

describe('MediaCache: verify', () => {
  it('chunkDeletedBehindTheCachesBack_repaired_totalReloaded', async () => {
    const cache = await open(10_000);
    await fill(cache, describeAs('a', 5), [0, 1, 2]);
    await fill(cache, describeAs('b', 5), [4]);
    await idb.deleteChunk('a', 1);
    expect((await cache.usage()).storedBytes).toBe(400);

    expect(await cache.verify()).toEqual({
      media: 2,
      chunks: 3,
      repaired: ['a'],
      orphanChunks: 0,
    });
    expect((await cache.usage()).storedBytes).toBe(300);
    expect(cache.isStored('a', 1)).toBe(false);
    await expectExactAccounting(cache);
  });

  it('orphanChunkWithNoMedia_deleted_nothingRepaired', async () => {
    const cache = await open(10_000);
    await fill(cache, describeAs('a', 5), [0]);
    await putBehindTheBack({ key: 'ghost', index: 3, data: blob(100) });

    expect(await cache.verify()).toEqual({ media: 1, chunks: 2, repaired: [], orphanChunks: 1 });
    expect(await chunkKeys()).toEqual(['a:0']);
    await expectExactAccounting(cache);
  });

  it('chunkOfTheWrongLength_deletedAsOrphan_mediaRepaired', async () => {
    const cache = await open(10_000);
    await fill(cache, describeAs('a', 5), [0, 1, 2]);
    // Chunk 1 replaced by bytes it cannot hold, behind the cache's back.
    await putBehindTheBack({ key: 'a', index: 1, data: blob(99) });

    expect(await cache.verify()).toEqual({
      media: 1,
      chunks: 3,
      repaired: ['a'],
      orphanChunks: 1,
    });
    expect(await chunkKeys()).toEqual(['a:0', 'a:2']);
    expect((await cache.usage()).storedBytes).toBe(200);
    await expectExactAccounting(cache);
  });

  it('consistentStore_repairsNothing_totalUnchanged', async () => {
    const cache = await open(10_000);
    await fill(cache, describeAs('a', 5), [0, 4]);
    expect(await cache.verify()).toEqual({ media: 1, chunks: 2, repaired: [], orphanChunks: 0 });
    expect((await cache.usage()).storedBytes).toBe(200);
    await expectExactAccounting(cache);
  });

  it('afterVerify_evictionUsesTheRepairedIndex', async () => {
    const cache = await open(300);
    const a = describeAs('a', 10);
    await fill(cache, a, [0, 1, 2]);
    await idb.deleteChunk('a', 2);
    await cache.verify();
    tick();
    // 200 stored really: chunk 3 fits without evicting anything.
    expect(await write(cache, a, 3)).toBe('stored');
    expect(store.deleted).toEqual([]);
    expect(await storedIndexes('a')).toEqual([0, 1, 3]);
    await expectExactAccounting(cache);
  });

  it('accessesNotYetPersisted_writtenFirst_memoryOrderKept', async () => {
    const cache = await open(10_000);
    await fill(cache, describeAs('a', 5), [0]);
    await fill(cache, describeAs('b', 5), [0]);
    const at = tick();
    cache.touch('a');

    await cache.verify();
    expect(cache.list().map((e) => [e.key, e.lastAccess])).toEqual([
      ['b', at - 1],
      ['a', at],
    ]);
    expect((await idb.getMedia('a'))?.lastAccess).toBe(at);
  });

  it('peakStoredBytes_survivesVerify', async () => {
    const cache = await open(10_000);
    await fill(cache, describeAs('a', 5), [0, 1, 2]);
    await idb.deleteChunk('a', 2);
    await idb.deleteChunk('a', 1);
    await cache.verify();
    expect(await cache.usage()).toMatchObject({ storedBytes: 100, peakStoredBytes: 300 });
  });
});

describe('MediaCache: list, touch, pin', () => {
  it('list_isInLRUOrder_withEveryField', async () => {
    const cache = await open(10_000);
    const a = describeAs('a', 5, 40); // 440 bytes
    const b = describeAs('b', 3); // 300 bytes
    const c = describeAs('c', 1, 1); // 1 byte
    await fill(cache, a, [0, 1, 4]); // lastAccess 1004
    await fill(cache, b, [1]); // 1006
    await fill(cache, c, []); // 1007
    tick(10);
    await cache.setPinned('a', true); // 1017

    expect(cache.list()).toEqual([
      {
        key: 'b',
        url: 'https://upstream.test/b',
        size: 300,
        storedBytes: 100,
        chunkSize: 100,
        chunkCount: 3,
        storedChunks: 1,
        storedChunkRanges: [[1, 1]],
        lastAccess: 1006,
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
        storedChunkRanges: [],
        lastAccess: 1007,
        pinned: false,
      },
      {
        key: 'a',
        url: 'https://upstream.test/a',
        size: 440,
        storedBytes: 240,
        chunkSize: 100,
        chunkCount: 5,
        storedChunks: 3,
        storedChunkRanges: [
          [0, 1],
          [4, 4],
        ],
        lastAccess: 1017,
        pinned: true,
      },
    ]);
    // The pin is persisted at once, the access with the others.
    expect(await idb.getMedia('a')).toMatchObject({ pinned: true });
    await cache.persistTouches();
    expect(await idb.getMedia('a')).toMatchObject({ lastAccess: 1017, pinned: true });
    await expectExactAccounting(cache);
  });

  it('writeCountsAsAnAccess_movesTheMediaToTheEndOfTheList', async () => {
    const cache = await open(10_000);
    const a = describeAs('a', 5);
    await fill(cache, a, []);
    await fill(cache, describeAs('b', 5), []);
    expect(cache.list().map((e) => e.key)).toEqual(['a', 'b']);
    tick();
    await write(cache, a, 0);
    expect(cache.list().map((e) => e.key)).toEqual(['b', 'a']);
  });

  it('touchKeepsThePin_pinUnknown_isANoOp', async () => {
    const cache = await open(10_000);
    await fill(cache, describeAs('a', 5), []);
    await cache.setPinned('a', true);
    tick();
    cache.touch('a');
    expect(cache.getMedia('a')).toMatchObject({ pinned: true, lastAccess: clock });
    await cache.persistTouches();
    expect(await idb.getMedia('a')).toMatchObject({ pinned: true, lastAccess: clock });
    await cache.setPinned('nope', true);
    cache.touch('nope');
    expect(cache.getMedia('nope')).toBeUndefined();
    expect(await idb.getMedia('nope')).toBeUndefined();
  });

  it('touch_ordersAtOnce_persistsOnlyWhenFlushed', async () => {
    const cache = await open(10_000);
    await fill(cache, describeAs('a', 5), []);
    await fill(cache, describeAs('b', 5), []);
    const persisted = (await idb.getMedia('a'))?.lastAccess;
    tick();
    cache.touch('a');
    // The eviction order sees the access at once; the store not yet (no transaction per
    // request).
    expect(cache.list().map((e) => e.key)).toEqual(['b', 'a']);
    expect((await idb.getMedia('a'))?.lastAccess).toBe(persisted);
    await cache.persistTouches();
    expect((await idb.getMedia('a'))?.lastAccess).toBe(clock);
  });

  it('manyTouches_coalescedIntoOneStoreTouchPerMedia_latestTime', async () => {
    const cache = await open(10_000);
    const a = describeAs('a', 5);
    await fill(cache, a, []);
    await fill(cache, describeAs('b', 5), []);
    await fill(cache, describeAs('gone', 5), []);
    const first = tick();
    cache.touch('a');
    cache.touch('gone');
    tick();
    cache.touch('b');
    tick();
    cache.touch('a');
    tick();
    expect(await write(cache, a, 0)).toBe('stored');
    await cache.delete('gone');

    await cache.persistTouches();
    expect(store.touched).toEqual([
      ['a', first + 3],
      ['b', first + 1],
    ]);
    await cache.persistTouches();
    expect(store.touched).toHaveLength(2);
  });

  it('pinAfterQueuedWrite_notOverwrittenByTheWriteOrItsAccess', async () => {
    const cache = await open(10_000);
    const a = describeAs('a', 5);
    await fill(cache, a, []);
    await Promise.all([write(cache, a, 0), cache.setPinned('a', true)]);
    await cache.persistTouches();
    expect(cache.getMedia('a')?.pinned).toBe(true);
    expect((await idb.getMedia('a'))?.pinned).toBe(true);
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
