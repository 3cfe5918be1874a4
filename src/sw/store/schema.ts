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

/** A persisted setting of this installation (e.g. the cache budget). */
export interface SettingRecord {
  name: string;
  value: number | string;
}

/**
 * The IndexedDB schema. A type only (it never exists at runtime), in `idb`'s `DBSchema` form.
 * Version 3 keeps only metadata in `media` (which chunks are stored is rebuilt from `chunks` on
 * open); version 2's records also held a bitmap and byte counts, dropped by the upgrade.
 */
export interface ChunkwiseDB extends DBSchema {
  media: { key: string; value: MediaMeta };
  chunks: { key: [string, number]; value: ChunkRecord };
  sessions: { key: string; value: StoredSession };
  settings: { key: string; value: SettingRecord };
}

export const DB_NAME = 'chunkwise';
export const DB_VERSION = 3;
