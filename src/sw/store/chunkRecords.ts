import type { IDBPTransaction } from 'idb';
import type { StoredChunk } from './ChunkStore.ts';
import { chunksOf, memberBounds, valueLength } from './chunkGroups.ts';
import type { ChunkExtent, ChunkRecord, ChunkwiseDB } from './schema.ts';

/**
 * The `chunks` store's records with their listing, `extents`, kept in step. An extent is a key
 * alone, `[key, index, count, chunkSize, size]`: what a listing needs of a record without reading
 * its value. Reading a record hands over its Blob, and the browser sets up a handle for each one:
 * in Chromium a walk over 1000 chunk records took 90–130 ms in the worker, against ~8 ms for
 * their keys alone (`getAllKeys`), and the walk sat on the first request after every worker
 * start. Every write of `chunks` goes through here, in the same transaction as its extent, so the
 * two never disagree.
 */

/** A transaction that writes chunk records (with `media` when it checks a version). */
export type ChunkWrite = IDBPTransaction<
  ChunkwiseDB,
  ArrayLike<'media' | 'chunks' | 'extents'>,
  'readwrite'
>;

/** A record's extent key: where it starts, how many chunks it holds, their size, its length. */
export function extentOf(record: ChunkRecord): ChunkExtent {
  const size = valueLength(record);
  return [record.key, record.index, chunksOf(record), record.chunkSize ?? size, size];
}

/** The chunks an extent stands for, with their lengths. */
export function chunksIn(extent: ChunkExtent): StoredChunk[] {
  // No record is made to stand for it: a Blob, even an empty one, is a handle the browser sets
  // up (120–130 ms for 1000 of them in the worker).
  const [key, index, count, chunkSize, size] = extent;
  return Array.from({ length: count }, (_, k) => {
    const { from, to } = memberBounds({ index, count, chunkSize }, index + k, size);
    return { key, index: index + k, size: to - from };
  });
}

/** The extents of media `key`, or of records `from..to` of it (whatever they hold). */
export function extentRange(key: string, from = 0, to = Number.MAX_SAFE_INTEGER): IDBKeyRange {
  // A record's extent sorts after `[key, index]` and before `[key, index, Infinity]`.
  return IDBKeyRange.bound([key, from], [key, to, Number.POSITIVE_INFINITY]);
}

/** Put `record` (replacing the record at its index) and its extent. */
export async function putRecord(tx: ChunkWrite, record: ChunkRecord): Promise<void> {
  const extents = tx.objectStore('extents');
  await extents.delete(extentRange(record.key, record.index, record.index));
  await tx.objectStore('chunks').put(record);
  await extents.put(1, extentOf(record));
}

/** Delete the records of `key` starting at `from..to` and their extents. */
export async function deleteRecords(
  tx: ChunkWrite,
  key: string,
  from: number,
  to = from,
): Promise<void> {
  await tx.objectStore('chunks').delete(IDBKeyRange.bound([key, from], [key, to]));
  await tx.objectStore('extents').delete(extentRange(key, from, to));
}
