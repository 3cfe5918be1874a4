import type { ChunkRecord } from './schema.ts';

/**
 * Merged chunks: one stored value holding `count` consecutive chunks of one media back to back,
 * at the index of the first. Every chunk but the last of a group is `chunkSize` long. A stored
 * value costs the browser per value when a range is read back (IndexedDB, Chromium: 1 MiB values
 * composed into one Blob read back at 467–636 MB/s, 4 MiB values at 614–980 MB/s,
 * `bench/idbWrites.ts`), so a media read again is kept in fewer, larger values.
 */

/** The bytes one merged value aims at: chunks are merged this many bytes at a time at most. */
export const GROUP_BYTES = 16 * 1024 * 1024;

/** How many chunks of `chunkSize` one merged value holds; 1 means chunks are never merged. */
export function groupLength(chunkSize: number): number {
  return Math.max(1, Math.floor(GROUP_BYTES / chunkSize));
}

/** The first chunk of the group holding chunk `index` (groups are aligned to their length). */
export function groupStart(index: number, chunkSize: number): number {
  const length = groupLength(chunkSize);
  return index - (index % length);
}

/** The chunks a record holds: its index, and more when it is a merged value. */
export function chunksOf(record: ChunkRecord): number {
  return record.count ?? 1;
}

/** A stored value's length in bytes. */
export function valueLength(record: ChunkRecord): number {
  return record.data instanceof Blob ? record.data.size : record.data.byteLength;
}

/**
 * Byte bounds `[from, to)` of chunk `index` inside `record`'s value (`size` bytes long). Only the
 * record's place is read, never its value, so a listing entry can stand for the record.
 */
export function memberBounds(
  record: Pick<ChunkRecord, 'index' | 'count' | 'chunkSize'>,
  index: number,
  size: number,
): { from: number; to: number } {
  if (record.count === undefined || record.chunkSize === undefined) return { from: 0, to: size };
  const from = (index - record.index) * record.chunkSize;
  return { from, to: Math.min(size, from + record.chunkSize) };
}

/** Whether `record` holds chunk `index`. */
export function holds(record: ChunkRecord, index: number): boolean {
  return index >= record.index && index < record.index + chunksOf(record);
}
