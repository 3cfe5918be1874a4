import { type IDBPDatabase, openDB } from 'idb';
import type { MediaMeta } from './ChunkStore.ts';
import { extentOf } from './chunkRecords.ts';
import { type ChunkwiseDB, DB_NAME, DB_VERSION } from './schema.ts';

/** Version 2's media record: metadata plus a bitmap and byte counts of the stored chunks. */
interface MediaRecordV2 extends Omit<MediaMeta, 'version'> {
  stored?: Uint8Array;
  storedBytes?: number;
  storedChunks?: number;
}

/**
 * Open (creating or upgrading) the worker's database. `onClosed` is told when the connection is
 * gone for good: closed because another connection needs it (`versionchange`: a newer schema in
 * a new worker, or `deleteDatabase` from a page — holding on would block them forever), or
 * terminated by the browser (site data cleared).
 */
export function openChunkwiseDb(
  name: string = DB_NAME,
  onClosed: () => void = () => undefined,
): Promise<IDBPDatabase<ChunkwiseDB>> {
  let opened: IDBPDatabase<ChunkwiseDB> | null = null;
  return openDB<ChunkwiseDB>(name, DB_VERSION, {
    blocking() {
      opened?.close();
      onClosed();
    },
    terminated: onClosed,
    async upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        db.createObjectStore('media', { keyPath: 'key' });
        db.createObjectStore('chunks', { keyPath: ['key', 'index'] });
        db.createObjectStore('sessions', { keyPath: 'id' });
      }
      if (oldVersion < 2) db.createObjectStore('settings', { keyPath: 'name' });
      if (oldVersion >= 1 && oldVersion < 3) {
        // Keep every media and chunk: drop the v2 bitmap and counts (rebuilt from the chunks
        // when the cache opens) and start each content at version 1.
        const media = tx.objectStore('media');
        for (let c = await media.openCursor(); c; c = await c.continue()) {
          const { stored, storedBytes, storedChunks, ...meta } = c.value as MediaRecordV2;
          await c.update({ ...meta, version: 1 });
        }
      }
      if (oldVersion < 4) {
        const extents = db.createObjectStore('extents');
        // Every record stored so far gets its extent (one walk, once per installation).
        const chunks = tx.objectStore('chunks');
        for (let c = await chunks.openCursor(); c; c = await c.continue())
          await extents.put(1, extentOf(c.value));
      }
    },
  }).then((db) => {
    opened = db;
    return db;
  });
}
