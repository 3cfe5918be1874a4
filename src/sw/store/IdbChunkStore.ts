import type { IDBPDatabase } from 'idb';
import { ChunkBitmap } from '../cache/ChunkBitmap.ts';
import { chunkCount, chunkLength } from '../cache/chunkMath.ts';
import type { ChunkStore, MediaDescription, StoreRepair } from './ChunkStore.ts';
import type { ChunkwiseDB, MediaRecord } from './schema.ts';

/**
 * `ChunkStore` on IndexedDB (through `idb`). Chunk bytes and the media record change in one
 * readwrite transaction over both stores; IndexedDB serialises overlapping readwrite
 * transactions, so concurrent writes of different chunks of one media cannot lose each other's
 * bitmap bits (the browser twin of the seed design's truncating-write bug cannot happen here).
 */
export class IdbChunkStore implements ChunkStore {
  constructor(private readonly db: IDBPDatabase<ChunkwiseDB>) {}

  getMedia(key: string): Promise<MediaRecord | undefined> {
    return this.db.get('media', key);
  }

  listMedia(): Promise<MediaRecord[]> {
    return this.db.getAll('media');
  }

  async describeMedia(d: MediaDescription): Promise<{ record: MediaRecord; dropped: boolean }> {
    const tx = this.db.transaction(['media', 'chunks'], 'readwrite');
    const media = tx.objectStore('media');
    const old = await media.get(d.key);
    const same =
      old !== undefined &&
      old.size === d.size &&
      old.chunkSize === d.chunkSize &&
      sameValidator(old.etag, d.etag) &&
      sameValidator(old.lastModified, d.lastModified);
    const dropped = old !== undefined && !same && old.storedChunks > 0;
    if (old !== undefined && !same) await tx.objectStore('chunks').delete(mediaKeyRange(d.key));
    const record: MediaRecord =
      old !== undefined && same
        ? {
            ...old,
            ...d,
            etag: d.etag ?? old.etag,
            lastModified: d.lastModified ?? old.lastModified,
          }
        : {
            ...d,
            stored: ChunkBitmap.empty(chunkCount(d.size, d.chunkSize)).toBytes(),
            storedBytes: 0,
            storedChunks: 0,
            lastAccess: Date.now(),
            pinned: old?.pinned ?? false,
          };
    await media.put(record);
    await tx.done;
    return { record, dropped };
  }

  async readChunks(key: string, from: number, to: number): Promise<Blob[] | null> {
    const records = await this.db.getAll('chunks', IDBKeyRange.bound([key, from], [key, to]));
    if (records.length !== to - from + 1) return null;
    return records.map((r) => r.data);
  }

  async readChunk(key: string, index: number): Promise<Blob | undefined> {
    return (await this.db.get('chunks', [key, index]))?.data;
  }

  async writeChunk(key: string, index: number, data: Blob): Promise<MediaRecord> {
    const tx = this.db.transaction(['media', 'chunks'], 'readwrite', { durability: 'relaxed' });
    const media = tx.objectStore('media');
    const record = await media.get(key);
    if (record === undefined) {
      abort(tx);
      throw new DOMException(`no media record for ${key}`, 'NotFoundError');
    }
    if (
      !Number.isInteger(index) ||
      index < 0 ||
      index >= chunkCount(record.size, record.chunkSize) ||
      data.size !== chunkLength(index, record.size, record.chunkSize)
    ) {
      abort(tx);
      throw new DOMException(
        `chunk ${index} of ${key} cannot hold ${data.size} bytes`,
        'DataError',
      );
    }
    const bitmap = ChunkBitmap.from(record.stored);
    let next = record;
    if (!bitmap.has(index)) {
      next = {
        ...record,
        stored: bitmap.with(index).toBytes(),
        storedBytes: record.storedBytes + data.size,
        storedChunks: record.storedChunks + 1,
        lastAccess: Date.now(),
      };
      await media.put(next);
    }
    await tx.objectStore('chunks').put({ key, index, data });
    await tx.done;
    return next;
  }

  async removeChunk(key: string, index: number): Promise<number> {
    const tx = this.db.transaction(['media', 'chunks'], 'readwrite', { durability: 'relaxed' });
    const media = tx.objectStore('media');
    const record = await media.get(key);
    const chunks = tx.objectStore('chunks');
    const chunk = await chunks.get([key, index]);
    if (record === undefined || chunk === undefined) {
      await tx.done;
      return 0;
    }
    await chunks.delete([key, index]);
    await media.put({
      ...record,
      stored: ChunkBitmap.from(record.stored).without(index).toBytes(),
      storedBytes: record.storedBytes - chunk.data.size,
      storedChunks: record.storedChunks - 1,
    });
    await tx.done;
    return chunk.data.size;
  }

  async touch(key: string, at: number, pinned?: boolean): Promise<void> {
    const tx = this.db.transaction('media', 'readwrite', { durability: 'relaxed' });
    const record = await tx.store.get(key);
    if (record !== undefined)
      await tx.store.put({ ...record, lastAccess: at, pinned: pinned ?? record.pinned });
    await tx.done;
  }

  async verify(): Promise<StoreRepair> {
    const tx = this.db.transaction(['media', 'chunks'], 'readwrite');
    const media = tx.objectStore('media');
    const records = new Map((await media.getAll()).map((r) => [r.key, r]));
    const found = new Map<string, { bitmap: ChunkBitmap; bytes: number; count: number }>();
    let chunks = 0;
    let orphanChunks = 0;
    for (
      let cursor = await tx.objectStore('chunks').openCursor();
      cursor;
      cursor = await cursor.continue()
    ) {
      chunks++;
      const { key, index, data } = cursor.value;
      const record = records.get(key);
      // A chunk no media could hold is an orphan too: `chunkLength` alone would accept a full
      // length at index -1 or 0.5, or 0 bytes just past the end (the same checks as writeChunk).
      if (
        record === undefined ||
        !Number.isInteger(index) ||
        index < 0 ||
        index >= chunkCount(record.size, record.chunkSize) ||
        data.size !== chunkLength(index, record.size, record.chunkSize)
      ) {
        orphanChunks++;
        await cursor.delete();
        continue;
      }
      const f = found.get(key) ?? {
        bitmap: ChunkBitmap.empty(chunkCount(record.size, record.chunkSize)),
        bytes: 0,
        count: 0,
      };
      found.set(key, {
        bitmap: f.bitmap.with(index),
        bytes: f.bytes + data.size,
        count: f.count + 1,
      });
    }
    const repaired: string[] = [];
    for (const record of records.values()) {
      const f = found.get(record.key) ?? {
        bitmap: ChunkBitmap.empty(chunkCount(record.size, record.chunkSize)),
        bytes: 0,
        count: 0,
      };
      const bits = f.bitmap.toBytes();
      const same =
        record.storedBytes === f.bytes &&
        record.storedChunks === f.count &&
        record.stored.length === bits.length &&
        record.stored.every((b, i) => b === bits[i]);
      if (same) continue;
      repaired.push(record.key);
      await media.put({ ...record, stored: bits, storedBytes: f.bytes, storedChunks: f.count });
    }
    await tx.done;
    return { media: records.size, chunks, repaired, orphanChunks };
  }

  async deleteMedia(key: string): Promise<void> {
    const tx = this.db.transaction(['media', 'chunks'], 'readwrite');
    await tx.objectStore('chunks').delete(mediaKeyRange(key));
    await tx.objectStore('media').delete(key);
    await tx.done;
  }
}

/** Abort a transaction we are about to reject for; its `done` rejection is expected. */
function abort(tx: { abort(): void; done: Promise<void> }): void {
  tx.done.catch(() => undefined);
  tx.abort();
}

/** Every `[key, index]` of one media. */
function mediaKeyRange(key: string): IDBKeyRange {
  return IDBKeyRange.bound([key, 0], [key, Number.MAX_SAFE_INTEGER]);
}

/** A validator that is unknown now (hidden by CORS, say) does not contradict a known one. */
function sameValidator(a: string | null, b: string | null): boolean {
  return a === null || b === null || a === b;
}
