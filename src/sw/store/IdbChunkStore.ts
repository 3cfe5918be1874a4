import type { IDBPDatabase, IDBPObjectStore } from 'idb';
import { chunkLength } from '../cache/chunkMath.ts';
import { isQuotaError } from '../cache/QuotaBudget.ts';
import type { ChunkStore, MediaMeta, StoredAs, StoredChunk } from './ChunkStore.ts';
import { chunksOf, holds, memberBounds, valueLength } from './chunkGroups.ts';
import {
  type ChunkWrite,
  chunksIn,
  deleteRecords,
  extentRange,
  putRecord,
} from './chunkRecords.ts';
import { IdbConnection } from './IdbConnection.ts';
import { StaleWriteError } from './StaleWriteError.ts';
import type { ChunkRecord, ChunkwiseDB } from './schema.ts';

/**
 * `ChunkStore` on IndexedDB (through `idb`): metadata in `media`, chunk Blobs in `chunks` keyed by
 * `[key, index]`. A chunk write reads the media's version in the same readwrite transaction that
 * puts the bytes, so a write for an old version can never land after the version moved on.
 * IndexedDB serialises overlapping readwrite transactions, so concurrent chunk writes cannot
 * lose each other (the seed design's truncating write cannot happen here).
 *
 * Some browsers refuse Blob values in IndexedDB (WebKit in an ephemeral session, as Safari's
 * Private Browsing: `UnknownError: Error preparing Blob/File data to be stored in object store`)
 * while taking ArrayBuffers. The first refused Blob write is retried with the bytes as an
 * ArrayBuffer; when that is stored, every later write stores ArrayBuffers (`storedAs`), and
 * reads hand either kind back as a Blob.
 */
export class IdbChunkStore implements ChunkStore {
  readonly kind = 'indexeddb' as const;
  private values: 'blob' | 'arraybuffer' = 'blob';
  /**
   * Whether a Blob read stays readable once its record is deleted (`blobsOutliveTheirRecords`),
   * which merging needs too; tests may say so (`merge`).
   */
  readonly blobsOutliveRemoval: boolean;

  private readonly connection: IdbConnection;

  constructor(db: IDBPDatabase<ChunkwiseDB> | IdbConnection, options: { merge?: boolean } = {}) {
    this.connection = IdbConnection.of(db);
    this.blobsOutliveRemoval = options.merge ?? blobsOutliveTheirRecords();
  }

  get storedAs(): StoredAs {
    return this.values;
  }

  private db(): Promise<IDBPDatabase<ChunkwiseDB>> {
    return this.connection.db();
  }

  async getMedia(key: string): Promise<MediaMeta | undefined> {
    return (await this.db()).get('media', key);
  }

  async listMedia(): Promise<MediaMeta[]> {
    return (await this.db()).getAll('media');
  }

  async putMedia(meta: MediaMeta): Promise<void> {
    await (await this.db()).put('media', meta);
  }

  async deleteMedia(key: string): Promise<void> {
    const tx = (await this.db()).transaction(['media', 'chunks', 'extents'], 'readwrite');
    await tx.objectStore('chunks').delete(mediaKeyRange(key));
    await tx.objectStore('extents').delete(extentRange(key));
    await tx.objectStore('media').delete(key);
    await tx.done;
  }

  touch(key: string, at: number): Promise<void> {
    return this.update(key, (m) => ({ ...m, lastAccess: at }));
  }

  setPinned(key: string, pinned: boolean): Promise<void> {
    return this.update(key, (m) => ({ ...m, pinned }));
  }

  async getChunk(key: string, index: number): Promise<Blob | undefined> {
    const tx = (await this.db()).transaction('chunks', 'readonly');
    const record = (await tx.store.get([key, index])) ?? (await holderIn(tx.store, key, index));
    if (record === undefined) return undefined;
    const blob = asBlob(record.data);
    if (record.count === undefined) return blob;
    const { from, to } = memberBounds(record, index, blob.size);
    return blob.slice(from, to);
  }

  async getSpan(key: string, from: number, to: number): Promise<Blob | null> {
    const tx = (await this.db()).transaction('chunks', 'readonly');
    const records = await tx.store.getAll(IDBKeyRange.bound([key, from], [key, to]));
    if (records[0]?.index !== from) {
      const holder = await holderIn(tx.store, key, from);
      if (holder === undefined) return null;
      records.unshift(holder);
    }
    const parts: Blob[] = [];
    let next = from;
    for (const record of records) {
      if (next > to) break;
      if (record.index > next) return null; // a chunk missing
      const blob = asBlob(record.data);
      const last = Math.min(record.index + chunksOf(record) - 1, to);
      const start = memberBounds(record, next, blob.size).from;
      const end = memberBounds(record, last, blob.size).to;
      parts.push(start === 0 && end === blob.size ? blob : blob.slice(start, end));
      next = last + 1;
    }
    return next > to ? new Blob(parts) : null;
  }

  /**
   * Merge chunks `first..first + count - 1` of `key` into one stored value (`chunkGroups.ts`),
   * in one transaction: all of them stored as chunks of their own, full length but the media's
   * last, at version `version`; else nothing changes. Resolves whether it merged. Not where
   * values are kept as ArrayBuffers (a merged value would be a Blob).
   */
  async mergeChunks(key: string, version: number, first: number, count: number): Promise<boolean> {
    if (count < 2 || !this.blobsOutliveRemoval || this.values === 'arraybuffer') return false;
    const tx = (await this.db()).transaction(['media', 'chunks', 'extents'], 'readwrite', {
      durability: 'relaxed',
    });
    return committed(tx, async () => {
      const meta = await tx.objectStore('media').get(key);
      const chunks = tx.objectStore('chunks');
      const last = first + count - 1;
      const records =
        meta?.version === version
          ? await chunks.getAll(IDBKeyRange.bound([key, first], [key, last]))
          : [];
      const chunkSize = meta?.chunkSize ?? 0;
      const mergeable =
        meta !== undefined &&
        records.length === count &&
        records.every(
          (r, k) =>
            r.index === first + k &&
            r.count === undefined &&
            valueLength(r) === chunkLength(first + k, meta.size, chunkSize),
        );
      if (mergeable) {
        const data = new Blob(records.map((r) => r.data));
        await putRecord(tx, { key, index: first, data, count, chunkSize });
        await deleteRecords(tx, key, first + 1, last);
      }
      return mergeable;
    });
  }

  async putChunk(key: string, version: number, index: number, data: Blob): Promise<void> {
    if (this.values === 'arraybuffer')
      return this.put(key, version, index, await data.arrayBuffer());
    try {
      await this.put(key, version, index, data);
    } catch (error) {
      if (error instanceof StaleWriteError || isQuotaError(error)) throw error;
      // Maybe a refused Blob value: try the same bytes as an ArrayBuffer, and keep doing so only
      // if that is stored (else the first failure is the one to report).
      try {
        await this.put(key, version, index, await data.arrayBuffer());
      } catch {
        throw error;
      }
      this.values = 'arraybuffer';
    }
  }

  private async put(
    key: string,
    version: number,
    index: number,
    data: Blob | ArrayBuffer,
  ): Promise<void> {
    const tx = (await this.db()).transaction(['media', 'chunks', 'extents'], 'readwrite', {
      durability: 'relaxed',
    });
    await committed(tx, async () => {
      const meta = await tx.objectStore('media').get(key);
      if (meta?.version !== version) throw new StaleWriteError(key, version, meta?.version ?? null);
      const holder = await holderIn(tx.objectStore('chunks'), key, index);
      if (holder && chunksOf(holder) > 1) await splitIn(tx, holder, new Set([index]));
      await putRecord(tx, { key, index, data });
    });
  }

  async deleteChunk(key: string, index: number): Promise<void> {
    const { failure } = await this.removeChunks(key, [index]);
    if (failure !== undefined) throw failure;
  }

  async deleteChunks(key: string, indexes: number[]): Promise<number[]> {
    return (await this.removeChunks(key, indexes)).removed;
  }

  /**
   * Remove chunks `indexes` of `key`: first, in one transaction that only deletes (nothing a
   * quota can refuse), the chunks of their own and the merged values losing all their chunks;
   * then each merged value losing only some is split in a transaction of its own, the rest
   * written anew. A split refused (quota) keeps that value's chunks: they are left out of
   * `removed`, and `failure` says why.
   */
  private async removeChunks(
    key: string,
    indexes: number[],
  ): Promise<{ removed: number[]; failure?: unknown }> {
    const db = await this.db();
    const gone = new Set(indexes);
    const toSplit: number[] = [];
    const tx = db.transaction(['chunks', 'extents'], 'readwrite');
    const removed = await committed(tx, async () => {
      const out = new Set<number>();
      for (const index of gone) {
        if (out.has(index) || toSplit.includes(index)) continue;
        const holder = await holderIn(tx.objectStore('chunks'), key, index);
        const members = holder ? membersOf(holder) : [index]; // absent: nothing to do
        if (members.every((i) => gone.has(i))) {
          if (holder) await deleteRecords(tx, key, holder.index);
          for (const i of members) out.add(i);
        } else {
          toSplit.push(...members.filter((i) => gone.has(i)));
        }
      }
      return out;
    });
    let failure: unknown;
    for (const index of toSplit) {
      if (removed.has(index)) continue;
      const split = db.transaction(['chunks', 'extents'], 'readwrite');
      try {
        const members = await committed(split, async () => {
          const holder = await holderIn(split.objectStore('chunks'), key, index);
          if (holder === undefined) return [index];
          await splitIn(split, holder, gone);
          return membersOf(holder);
        });
        for (const i of members) if (gone.has(i)) removed.add(i);
      } catch (error) {
        failure ??= error;
      }
    }
    return { removed: indexes.filter((i) => removed.has(i)), failure };
  }

  async listChunks(key?: string): Promise<StoredChunk[]> {
    // The extents alone: no record, so no Blob, is read (`chunkRecords.ts`).
    const range = key === undefined ? undefined : extentRange(key);
    const extents = await (await this.db()).getAllKeys('extents', range);
    return extents.flatMap(chunksIn);
  }

  close(): void {
    this.connection.close();
  }

  private async update(key: string, change: (meta: MediaMeta) => MediaMeta): Promise<void> {
    const tx = (await this.db()).transaction('media', 'readwrite', { durability: 'relaxed' });
    const meta = await tx.store.get(key);
    if (meta !== undefined) await tx.store.put(change(meta));
    await tx.done;
  }
}

/** Every `[key, index]` of one media. */
function mediaKeyRange(key: string): IDBKeyRange {
  return IDBKeyRange.bound([key, 0], [key, Number.MAX_SAFE_INTEGER]);
}

/** A stored chunk as the port hands it out: always a Blob. */
function asBlob(data: Blob | ArrayBuffer): Blob {
  return data instanceof Blob ? data : new Blob([data]);
}

/** The `chunks` store inside a transaction of `mode` (over `chunks` with `media`, `extents` or both). */
type ChunksStore<Mode extends IDBTransactionMode = 'readonly' | 'readwrite'> = IDBPObjectStore<
  ChunkwiseDB,
  ArrayLike<'chunks' | 'media' | 'extents'>,
  'chunks',
  Mode
>;

/** The record holding chunk `index` of `key`: its own, or a merged value starting before it. */
async function holderIn(
  store: ChunksStore,
  key: string,
  index: number,
): Promise<ChunkRecord | undefined> {
  const cursor = await store.openCursor(IDBKeyRange.bound([key, 0], [key, index]), 'prev');
  const record = cursor?.value;
  return record && holds(record, index) ? record : undefined;
}

/**
 * Replace merged value `record` by chunks of their own, but those in `dropping` (gone). The
 * bytes are slices of the merged value, written anew by the browser.
 */
async function splitIn(tx: ChunkWrite, record: ChunkRecord, dropping: Set<number>): Promise<void> {
  const blob = asBlob(record.data);
  await deleteRecords(tx, record.key, record.index);
  for (let i = record.index; i < record.index + chunksOf(record); i++) {
    if (dropping.has(i)) continue;
    const { from, to } = memberBounds(record, i, blob.size);
    await putRecord(tx, { key: record.key, index: i, data: blob.slice(from, to) });
  }
}

/**
 * Whether a Blob read from IndexedDB stays readable once its record is deleted, which merging
 * needs: a merge deletes the records of chunks whose Blobs a response may still be streaming.
 * Chromium keeps them readable (the engine the merge was measured and tested on; it alone has
 * `navigator.userAgentData`). WebKitGTK 2.50 does not: with merging, responses of the WebKit
 * engine tests failed with `TypeError: Load failed` (3 of 9 bodies), and a probe (write, read,
 * delete, then read the Blob) passed there anyway, so no probe decides it. Elsewhere chunks are
 * not merged.
 */
function blobsOutliveTheirRecords(): boolean {
  return typeof navigator !== 'undefined' && 'userAgentData' in navigator;
}

/**
 * Run `work` in `tx` and wait for the commit. Any error aborts the transaction, so nothing of it
 * lands (a request that throws at once does not abort a transaction by itself), and is rethrown.
 */
async function committed<T>(
  tx: { done: Promise<void>; abort(): void },
  work: () => Promise<T>,
): Promise<T> {
  try {
    const result = await work();
    await tx.done;
    return result;
  } catch (error) {
    tx.done.catch(() => undefined); // the error below is the one to report
    try {
      tx.abort();
    } catch {
      // already finished
    }
    throw error;
  }
}

/** The chunk indexes `record` holds. */
function membersOf(record: ChunkRecord): number[] {
  return Array.from({ length: chunksOf(record) }, (_, k) => record.index + k);
}
