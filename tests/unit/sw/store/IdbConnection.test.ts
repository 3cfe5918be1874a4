/**
 * `IdbConnection` on fake-indexeddb: the worker's connection never blocks another one (a page's
 * `deleteDatabase`, a newer worker's upgrade) and reopens lazily afterwards.
 */
import 'fake-indexeddb/auto';
import { deleteDB, openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import type { MediaMeta } from '../../../../src/sw/store/ChunkStore.ts';
import { IdbChunkStore } from '../../../../src/sw/store/IdbChunkStore.ts';
import { IdbConnection } from '../../../../src/sw/store/IdbConnection.ts';

let n = 0;
const meta = (key: string): MediaMeta => ({
  key,
  url: `https://u.test/${key}`,
  size: 10,
  contentType: null,
  etag: null,
  lastModified: null,
  chunkSize: 10,
  validation: 'none',
  version: 1,
  lastAccess: 0,
  pinned: false,
});

describe('IdbConnection', () => {
  it('deleteDatabaseFromElsewhere_notBlocked_nextUseReopensAnEmptyDatabase', async () => {
    const name = `conn-${process.pid}-${++n}`;
    const connection = IdbConnection.to(name);
    const store = new IdbChunkStore(connection);
    await store.putMedia(meta('a'));
    let blocked = false;
    await deleteDB(name, { blocked: () => (blocked = true) });
    expect(blocked).toBe(false);
    // The store goes on: a fresh database, the old media gone with the deleted one.
    expect(await store.listMedia()).toEqual([]);
    await store.putMedia(meta('b'));
    expect((await store.listMedia()).map((m) => m.key)).toEqual(['b']);
    expect(connection.opens).toBe(2);
    connection.close();
  });

  it('newerSchemaOpenedElsewhere_notBlocked_ourNextOpenFailsClearly', async () => {
    const name = `conn-${process.pid}-${++n}`;
    const connection = IdbConnection.to(name);
    const store = new IdbChunkStore(connection);
    await store.putMedia(meta('a'));
    let blocked = false;
    const newer = await openDB(name, 99, { blocked: () => (blocked = true) });
    expect(blocked).toBe(false);
    newer.close();
    await expect(store.listMedia()).rejects.toMatchObject({ name: 'VersionError' });
  });

  it('fixedDatabase_usedAsItIs_neverReopened', async () => {
    const name = `conn-${process.pid}-${++n}`;
    const first = IdbConnection.to(name);
    const db = await first.db();
    const fixed = IdbConnection.of(db);
    expect(await fixed.db()).toBe(db);
    expect(fixed.opens).toBe(0);
    first.close();
  });
});
