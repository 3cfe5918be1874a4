/**
 * What only IndexedDB has, on fake-indexeddb: the schema and its upgrade from version 2, and the
 * Blob values the store keeps. Everything a `ChunkStore` must do is proven once for every backend
 * by the shared contract suite (tests/contract/, run here by IdbChunkStore.contract.test.ts).
 */
import 'fake-indexeddb/auto';
import { type IDBPDatabase, openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import type { MediaMeta, StoredChunk } from '../../../../src/sw/store/ChunkStore.ts';
import { memberBounds, valueLength } from '../../../../src/sw/store/chunkGroups.ts';
import { IdbChunkStore } from '../../../../src/sw/store/IdbChunkStore.ts';
import { openChunkwiseDb } from '../../../../src/sw/store/openChunkwiseDb.ts';
import { type ChunkwiseDB, DB_VERSION } from '../../../../src/sw/store/schema.ts';

/** `length` bytes, each the low byte of `seed + position`, so chunks are told apart by content. */
function bytes(length: number, seed = 0): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (seed + i) & 0xff;
  return out;
}

async function bytesOf(blob: Blob | undefined): Promise<number[] | undefined> {
  return blob === undefined ? undefined : [...new Uint8Array(await blob.arrayBuffer())];
}

/** A media's metadata as version 3 keeps it, without `version`. */
const DESCRIBED: Omit<MediaMeta, 'version'> = {
  key: 'media-a',
  url: 'https://upstream.test/a.mp4',
  size: 2500,
  contentType: 'video/mp4',
  etag: '"v1"',
  lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT',
  chunkSize: 1000,
  validation: 'strong',
  lastAccess: 1_700_000_000_000,
  pinned: true,
};

let dbCount = 0;
const toClose: { close(): void }[] = [];

function freshName(): string {
  return `chunkwise-idb-${process.pid}-${++dbCount}`;
}

afterEach(() => {
  for (const handle of toClose.splice(0)) handle.close();
});

/** The object stores versions 2 and 3 had (they differ in what the records hold). */
function createStoresOfVersion2And3(db: IDBPDatabase<unknown>): void {
  db.createObjectStore('media', { keyPath: 'key' });
  db.createObjectStore('chunks', { keyPath: ['key', 'index'] });
  db.createObjectStore('sessions', { keyPath: 'id' });
  db.createObjectStore('settings', { keyPath: 'name' });
}

/**
 * A database as version 2 of the schema left it, written by hand: media records holding a bitmap
 * and byte counts of their stored chunks, the chunks, a session and a setting.
 */
async function createVersion2(name: string): Promise<void> {
  const v2 = await openDB(name, 2, {
    upgrade: createStoresOfVersion2And3,
  });
  await v2.put('media', {
    ...DESCRIBED,
    stored: new Uint8Array([0b101]),
    storedBytes: 1500,
    storedChunks: 2,
  });
  await v2.put('media', {
    ...DESCRIBED,
    key: 'media-b',
    pinned: false,
    stored: new Uint8Array(1),
    storedBytes: 0,
    storedChunks: 0,
  });
  await v2.put('chunks', { key: 'media-a', index: 0, data: new Blob([bytes(1000, 1)]) });
  await v2.put('chunks', { key: 'media-a', index: 2, data: new Blob([bytes(500, 3)]) });
  await v2.put('sessions', { id: 'session-1', url: 'https://upstream.test/a.mp4' });
  await v2.put('settings', { name: 'budget', value: 123_456 });
  v2.close();
}

describe('openChunkwiseDb: schema', () => {
  it('newDatabase_createdAtTheCurrentVersion_withEveryStore', async () => {
    const db = await openChunkwiseDb(freshName());
    toClose.push(db);
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual([
      'chunks',
      'extents',
      'media',
      'sessions',
      'settings',
    ]);
  });

  it('upgradeFromVersion3_everyRecordListed_mergedValuesByChunk', async () => {
    // Version 3 as it left chunks: records of their own and a merged value, no listing beside.
    const name = freshName();
    const v3 = await openDB(name, 3, {
      upgrade: createStoresOfVersion2And3,
    });
    await v3.put('media', { ...DESCRIBED, version: 1 });
    await v3.put('chunks', {
      key: 'media-a',
      index: 0,
      data: new Blob([bytes(1000, 1), bytes(1000, 2)]),
      count: 2,
      chunkSize: 1000,
    });
    await v3.put('chunks', { key: 'media-a', index: 2, data: new Blob([bytes(500, 3)]) });
    await v3.put('chunks', { key: 'other', index: 7, data: new Blob([bytes(10, 4)]) });
    v3.close();

    const store = new IdbChunkStore(await openChunkwiseDb(name), { merge: true });
    toClose.push(store);
    const listed = (await store.listChunks()).sort(
      (x, y) => x.key.localeCompare(y.key) || x.index - y.index,
    );
    expect(listed).toEqual([
      { key: 'media-a', index: 0, size: 1000 },
      { key: 'media-a', index: 1, size: 1000 },
      { key: 'media-a', index: 2, size: 500 },
      { key: 'other', index: 7, size: 10 },
    ]);
    // The listing follows the records from then on: a delete splits the merged value.
    expect(await store.deleteChunks('media-a', [1])).toEqual([1]);
    expect(await store.listChunks('media-a')).toEqual([
      { key: 'media-a', index: 0, size: 1000 },
      { key: 'media-a', index: 2, size: 500 },
    ]);
    expect(await bytesOf(await store.getChunk('media-a', 0))).toEqual([...bytes(1000, 1)]);
  });

  it('upgradeFromVersion2_mediaAtVersion1_bitmapAndCountsDropped_everythingElseKept', async () => {
    const name = freshName();
    await createVersion2(name);

    const db = await openChunkwiseDb(name);
    toClose.push(db);
    expect(db.version).toBe(DB_VERSION);
    const media = (await db.getAll('media')).sort((x, y) => x.key.localeCompare(y.key));
    expect(media).toEqual([
      { ...DESCRIBED, version: 1 },
      { ...DESCRIBED, key: 'media-b', pinned: false, version: 1 },
    ]);
    for (const m of media) {
      expect(m).not.toHaveProperty('stored');
      expect(m).not.toHaveProperty('storedBytes');
      expect(m).not.toHaveProperty('storedChunks');
    }
    expect(await db.getAllKeys('chunks')).toEqual([
      ['media-a', 0],
      ['media-a', 2],
    ]);
    expect(await bytesOf((await db.get('chunks', ['media-a', 2]))?.data as Blob)).toEqual(
      await bytesOf(new Blob([bytes(500, 3)])),
    );
    expect(await db.get('sessions', 'session-1')).toEqual({
      id: 'session-1',
      url: 'https://upstream.test/a.mp4',
    });
    expect(await db.get('settings', 'budget')).toEqual({ name: 'budget', value: 123_456 });
  });

  it('upgradedDatabase_storeListsTheOldChunks_acceptsVersion1Writes_refusesOthers', async () => {
    const name = freshName();
    await createVersion2(name);
    const store = new IdbChunkStore(await openChunkwiseDb(name));
    toClose.push(store);

    expect((await store.listChunks()).sort((x, y) => x.index - y.index)).toEqual([
      { key: 'media-a', index: 0, size: 1000 },
      { key: 'media-a', index: 2, size: 500 },
    ]);
    await store.putChunk('media-a', 1, 1, new Blob([bytes(1000, 2)]));
    expect(await bytesOf(await store.getChunk('media-a', 1))).toEqual(
      await bytesOf(new Blob([bytes(1000, 2)])),
    );
    await expect(store.putChunk('media-a', 2, 1, new Blob([bytes(1000, 9)]))).rejects.toMatchObject(
      { name: 'StaleWriteError', current: 1 },
    );
  });

  it('reopenAtTheCurrentVersion_changesNothing', async () => {
    const name = freshName();
    await createVersion2(name);
    const first = await openChunkwiseDb(name);
    await first.put('media', { ...DESCRIBED, version: 4 });
    first.close();

    const again = await openChunkwiseDb(name);
    toClose.push(again);
    expect(await again.get('media', 'media-a')).toEqual({ ...DESCRIBED, version: 4 });
  });
});

describe('fake-indexeddb under Node', () => {
  it('blobValue_roundTripsWithTypeSizeAndBytes', async () => {
    const db = await openChunkwiseDb(freshName());
    toClose.push(db);
    await db.put('chunks', {
      key: 'probe',
      index: 0,
      data: new Blob([new Uint8Array([1, 2, 3])], { type: 'x/y' }),
    });
    const back = (await db.get('chunks', ['probe', 0]))?.data;
    expect(back).toBeInstanceOf(Blob);
    if (!(back instanceof Blob)) return;
    expect(back.type).toBe('x/y');
    expect(back.size).toBe(3);
    expect(await bytesOf(back)).toEqual([1, 2, 3]);
  });
});

describe('IdbChunkStore: a browser refusing Blob values (WebKit ephemeral, Safari Private)', () => {
  /** Make every put of a chunk whose `data` is a Blob fail as WebKit's does, until restored. */
  function refuseBlobs(refuseArrayBuffers = false): () => void {
    const proto = IDBObjectStore.prototype;
    const put = proto.put;
    proto.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      const data = (value as { data?: unknown } | null)?.data;
      if (data instanceof Blob || (refuseArrayBuffers && data instanceof ArrayBuffer)) {
        throw new DOMException(
          'Error preparing Blob/File data to be stored in object store',
          'UnknownError',
        );
      }
      return put.call(this, value, key);
    } as typeof proto.put;
    return () => {
      proto.put = put;
    };
  }

  async function openStore() {
    const db = await openChunkwiseDb(freshName());
    toClose.push(db);
    const store = new IdbChunkStore(db);
    await store.putMedia({ ...DESCRIBED, version: 1 });
    return store;
  }

  it('blobRefused_storedAsArrayBuffer_readBackAsBlobs_storedAsSaysSo', async () => {
    const store = await openStore();
    const restore = refuseBlobs();
    try {
      expect(store.storedAs).toBe('blob');
      await store.putChunk('media-a', 1, 0, new Blob([bytes(1000, 1)]));
      await store.putChunk('media-a', 1, 2, new Blob([bytes(500, 3)]));
      expect(store.storedAs).toBe('arraybuffer');
      expect(await bytesOf(await store.getChunk('media-a', 0))).toEqual([...bytes(1000, 1)]);
      expect(await bytesOf(await store.getChunk('media-a', 2))).toEqual([...bytes(500, 3)]);
      expect(await store.listChunks('media-a')).toEqual([
        { key: 'media-a', index: 0, size: 1000 },
        { key: 'media-a', index: 2, size: 500 },
      ]);
      await store.putChunk('media-a', 1, 1, new Blob([bytes(1000, 2)]));
      const all = await store.getSpan('media-a', 0, 2);
      expect(await bytesOf(all ?? undefined)).toEqual([
        ...bytes(1000, 1),
        ...bytes(1000, 2),
        ...bytes(500, 3),
      ]);
    } finally {
      restore();
    }
  });

  it('bothKindsRefused_theFirstErrorRejects_nothingStored_stillBlob', async () => {
    const store = await openStore();
    const restore = refuseBlobs(true);
    try {
      await expect(
        store.putChunk('media-a', 1, 0, new Blob([bytes(1000, 1)])),
      ).rejects.toMatchObject({ name: 'UnknownError' });
      expect(store.storedAs).toBe('blob');
      expect(await store.listChunks('media-a')).toEqual([]);
    } finally {
      restore();
    }
  });

  it('staleWrite_notRetriedAsArrayBuffer', async () => {
    const store = await openStore();
    await expect(store.putChunk('media-a', 2, 0, new Blob([bytes(10)]))).rejects.toMatchObject({
      name: 'StaleWriteError',
    });
    expect(store.storedAs).toBe('blob');
  });
});

describe('IdbChunkStore: merged values when a split is refused (quota)', () => {
  const META: MediaMeta = { ...DESCRIBED, size: 6000, version: 1 }; // six chunks of 1000

  async function mergedStore() {
    const db = await openChunkwiseDb(freshName());
    toClose.push(db);
    const store = new IdbChunkStore(db, { merge: true });
    await store.putMedia(META);
    for (let i = 0; i < 6; i++) await store.putChunk('media-a', 1, i, new Blob([bytes(1000, i)]));
    expect(await store.mergeChunks('media-a', 1, 0, 6)).toBe(true);
    return { db, store };
  }

  /** Every put throws QuotaExceededError until restored (a split writes the rest anew). */
  function refusePuts(): () => void {
    const proto = IDBObjectStore.prototype;
    const put = proto.put;
    proto.put = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    return () => {
      proto.put = put;
    };
  }

  it('partOfAValueRefused_nothingRemoved_everyChunkStillThere_deleteChunkRejects', async () => {
    const { db, store } = await mergedStore();
    const restore = refusePuts();
    try {
      expect(await store.deleteChunks('media-a', [5, 4])).toEqual([]);
      await expect(store.deleteChunk('media-a', 2)).rejects.toMatchObject({
        name: 'QuotaExceededError',
      });
    } finally {
      restore();
    }
    expect((await store.listChunks('media-a')).map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await bytesOf((await store.getSpan('media-a', 0, 5)) ?? undefined)).toEqual(
      [0, 1, 2, 3, 4, 5].flatMap((i) => [...bytes(1000, i)]),
    );
    expect(await db.count('chunks')).toBe(1);
  });

  it('wholeValueGoing_needsNoWrite_removedEvenWhenWritesAreRefused', async () => {
    const { db, store } = await mergedStore();
    const restore = refusePuts();
    try {
      expect(await store.deleteChunks('media-a', [5, 4, 3, 2, 1, 0, 7])).toEqual([
        5, 4, 3, 2, 1, 0, 7,
      ]);
    } finally {
      restore();
    }
    expect(await store.listChunks('media-a')).toEqual([]);
    expect(await db.count('chunks')).toBe(0);
  });
});

describe('IdbChunkStore: the listing (extents) follows the records', () => {
  /**
   * The chunks as the records themselves say, read value by value with the bounds every read
   * uses (`memberBounds`): the listing before schema 4.
   */
  async function fromRecords(db: IDBPDatabase<ChunkwiseDB>): Promise<StoredChunk[]> {
    const out: StoredChunk[] = [];
    for (const record of await db.getAll('chunks')) {
      const size = valueLength(record);
      for (let i = record.index; i < record.index + (record.count ?? 1); i++) {
        const { from, to } = memberBounds(record, i, size);
        out.push({ key: record.key, index: i, size: to - from });
      }
    }
    return out;
  }

  it('randomWritesMergesSplitsAndDeletes_listingAlwaysTheRecords', async () => {
    const db = await openChunkwiseDb(freshName());
    const store = new IdbChunkStore(db, { merge: true });
    toClose.push(store);
    const size = 2450; // chunks 0..24 of 100 bytes, the last of 50: its group is merged short
    const meta = (key: string): MediaMeta => ({
      ...DESCRIBED,
      key,
      size,
      chunkSize: 100,
      version: 1,
    });
    await store.putMedia(meta('a'));
    await store.putMedia(meta('b'));
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n); // the high bits: an LCG's low bits cycle
    };
    const order = (list: StoredChunk[]) =>
      [...list].sort((x, y) => x.key.localeCompare(y.key) || x.index - y.index);
    const done: Record<string, number> = { put: 0, merged: 0, deleted: 0, media: 0 };
    for (let step = 0; step < 400; step++) {
      const key = next(2) === 0 ? 'a' : 'b';
      const op = next(10);
      if (op < 5) {
        const index = next(25);
        await store.putChunk(key, 1, index, new Blob([bytes(index === 24 ? 50 : 100, step)]));
        done.put = (done.put ?? 0) + 1;
      } else if (op < 7) {
        // A group filled (some of it maybe merged already), then merged.
        const first = next(5) * 5;
        for (let k = first; k < first + 5; k++)
          await store.putChunk(key, 1, k, new Blob([bytes(k === 24 ? 50 : 100, k)]));
        if (await store.mergeChunks(key, 1, first, 5)) done.merged = (done.merged ?? 0) + 1;
      } else if (op < 9) {
        const indexes = [next(25), next(25), next(25)];
        done.deleted = (done.deleted ?? 0) + (await store.deleteChunks(key, indexes)).length;
      } else if (next(4) === 0) {
        await store.deleteMedia(key);
        await store.putMedia(meta(key));
        done.media = (done.media ?? 0) + 1;
      }
      expect(order(await store.listChunks()), `after step ${step}`).toEqual(
        order(await fromRecords(db)),
      );
      expect(order(await store.listChunks(key))).toEqual(
        order((await fromRecords(db)).filter((c) => c.key === key)),
      );
    }
    // Every kind of write happened, and merged values were split by later writes and deletes.
    expect(done.put).toBeGreaterThan(50);
    expect(done.merged).toBeGreaterThan(5);
    expect(done.deleted).toBeGreaterThan(50);
    expect(done.media).toBeGreaterThan(0);
  });
});
