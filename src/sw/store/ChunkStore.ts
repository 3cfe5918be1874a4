import type { StoreRepair } from '../../shared/protocol.ts';
import type { MediaRecord } from './schema.ts';

export type { StoreRepair };

/** The fields of a media record that describe the upstream content. */
export type MediaDescription = Pick<
  MediaRecord,
  'key' | 'url' | 'size' | 'contentType' | 'etag' | 'lastModified' | 'chunkSize' | 'validation'
>;

/**
 * Where chunks live. One interface, so an OPFS store can stand beside the IndexedDB one and pass
 * the same conformance tests.
 *
 * Invariant every implementation keeps: a chunk is marked present in its media's record only in
 * the same atomic step that stores its bytes, and unmarked in the same step that removes them, so
 * the record never claims bytes that are missing and `storedBytes` never drifts.
 */
export interface ChunkStore {
  getMedia(key: string): Promise<MediaRecord | undefined>;
  /** All media records (unordered). */
  listMedia(): Promise<MediaRecord[]>;
  /**
   * Create the record for `description.key`, or update its description. If the content no longer
   * matches (size, chunk size, ETag or Last-Modified differ), its chunks are dropped first.
   * Returns the record as stored and whether chunks were dropped.
   */
  describeMedia(description: MediaDescription): Promise<{ record: MediaRecord; dropped: boolean }>;
  /**
   * Stored bytes of chunks `from..to` (inclusive) in one read, or null unless every one of them
   * is stored.
   */
  readChunks(key: string, from: number, to: number): Promise<Blob[] | null>;
  /** Stored bytes of chunk `index`, or undefined. */
  readChunk(key: string, index: number): Promise<Blob | undefined>;
  /**
   * Store chunk `index` and mark it present, atomically. Rejects (storing nothing) if the media
   * record is gone or its chunk `index` cannot hold `data.size` bytes.
   */
  writeChunk(key: string, index: number, data: Blob): Promise<MediaRecord>;
  /** Remove chunk `index` and unmark it, atomically; returns the bytes freed. */
  removeChunk(key: string, index: number): Promise<number>;
  /** Record an access (LRU) and optionally change the pin. */
  touch(key: string, at: number, pinned?: boolean): Promise<void>;
  /** Remove a media's record and all of its chunks. */
  deleteMedia(key: string): Promise<void>;
  /**
   * Recount what is really stored against the records, atomically: a record's bitmap and byte
   * counts are rebuilt from its chunks, chunks without a record are deleted. Returns what changed.
   */
  verify(): Promise<StoreRepair>;
}
