import { type IDBPDatabase, openDB } from 'idb';
import { type ChunkwiseDB, DB_NAME, DB_VERSION } from './schema.ts';

/** Open (creating or upgrading) the worker's database. */
export function openChunkwiseDb(name: string = DB_NAME): Promise<IDBPDatabase<ChunkwiseDB>> {
  return openDB<ChunkwiseDB>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('media', { keyPath: 'key' });
        db.createObjectStore('chunks', { keyPath: ['key', 'index'] });
        db.createObjectStore('sessions', { keyPath: 'id' });
      }
      if (oldVersion < 2) db.createObjectStore('settings', { keyPath: 'name' });
    },
  });
}
