import type { DBSchema } from 'idb';
import type { MediaMeta } from './ChunkStore.ts';
import type { StoredSession } from './SessionStore.ts';

/** One stored chunk: keyed by `[key, index]` so one media's chunks form one key range. */
export interface ChunkRecord {
  key: string;
  index: number;
  /**
   * Stored as a Blob: IndexedDB keeps it in a blob file and a response can stream it natively.
   * An ArrayBuffer where the browser refuses Blob values (see `IdbChunkStore.putChunk`).
   */
  data: Blob | ArrayBuffer;
  /**
   * Set on a merged value (`chunkGroups.ts`): `data` holds chunks `index..index + count - 1`
   * back to back, each `chunkSize` long but the last.
   */
  count?: number;
  chunkSize?: number;
}

/**
 * A chunk record's listing entry (`chunkRecords.ts`), a key with no value:
 * `[key, index, count, chunkSize, size]` (`count` 1 and `chunkSize` = `size` for a chunk of its
 * own).
 */
export type ChunkExtent = [string, number, number, number, number];

/** A persisted setting of this installation (e.g. the cache budget). */
export interface SettingRecord {
  name: string;
  value: number | string;
}

/**
 * The IndexedDB schema. A type only (it never exists at runtime), in `idb`'s `DBSchema` form.
 * Version 3 keeps only metadata in `media` (which chunks are stored is rebuilt from `chunks` on
 * open); version 2's records also held a bitmap and byte counts, dropped by the upgrade. Version 4
 * adds `extents`, the listing of `chunks` kept beside it, filled from `chunks` by the upgrade.
 */
export interface ChunkwiseDB extends DBSchema {
  media: { key: string; value: MediaMeta };
  chunks: { key: [string, number]; value: ChunkRecord };
  extents: { key: ChunkExtent; value: 1 };
  sessions: { key: string; value: StoredSession };
  settings: { key: string; value: SettingRecord };
}

export const DB_NAME = 'chunkwise';
export const DB_VERSION = 4;
