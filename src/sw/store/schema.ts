import type { DBSchema } from 'idb';
import type { SessionInfo, Validation } from '../../shared/protocol.ts';

/** What we know about one media and which of its chunks are stored. */
export interface MediaRecord {
  /** Cache key (default: the upstream URL). */
  key: string;
  /** The upstream URL it was last fetched from. */
  url: string;
  size: number;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  /** Fixed for the life of the record: stored chunks are positional. */
  chunkSize: number;
  /** Bitmap of stored chunks (see `ChunkBitmap`); changed only together with the chunk itself. */
  stored: Uint8Array;
  /** Sum of the stored chunks' lengths. */
  storedBytes: number;
  storedChunks: number;
  /** ms since epoch of the last read or write; drives LRU order. */
  lastAccess: number;
  /** Pinned media are never evicted. */
  pinned: boolean;
  validation: Validation;
}

export interface ChunkRecord {
  key: string;
  index: number;
  /** Stored as a Blob: IndexedDB keeps it in a blob file and a response can stream it natively. */
  data: Blob;
}

/** A persisted setting of this installation (e.g. the cache budget). */
export interface SettingRecord {
  name: string;
  value: number;
}

/**
 * The IndexedDB schema. A type only (it never exists at runtime), in `idb`'s `DBSchema` form.
 * `chunks` is keyed by `[mediaKey, index]` so one media's chunks form one key range.
 */
export interface ChunkwiseDB extends DBSchema {
  media: { key: string; value: MediaRecord };
  chunks: { key: [string, number]; value: ChunkRecord };
  sessions: { key: string; value: SessionInfo };
  settings: { key: string; value: SettingRecord };
}

export const DB_NAME = 'chunkwise';
export const DB_VERSION = 2;
