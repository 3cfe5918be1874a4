import type { IDBPDatabase } from 'idb';
import { isQuotaError } from '../cache/QuotaBudget.ts';
import type { ChunkStore, MediaMeta, StoredAs, StoredChunk } from './ChunkStore.ts';
import { IdbConnection } from './IdbConnection.ts';
import { StaleWriteError } from './StaleWriteError.ts';
import type { ChunkwiseDB } from './schema.ts';

/**
 * `ChunkStore` on IndexedDB (through `idb`): metadata in `media`, chunk Blobs in `chunks` keyed by
 * `[key, index]`. A chunk write reads the media's version in the same readwrite transaction that
 * puts the bytes, so a write for an old version can never land after the version moved on.
 * IndexedDB serialises overlapping readwrite transactions, so concurrent chunk writes cannot
 * lose each other (the seed design's truncating write cannot happen here).
 *
 * Some browsers refuse Blob values in IndexedDB (WebKit in an ephemeral session, as Safari's
 * Private Browsing: `UnknownError: Error preparing Blob/File data to be stored in object store`)
 * while taking ArrayBuffers. The first refused Blob write is retried with the bytes as an
 * ArrayBuffer; when that is stored, every later write stores ArrayBuffers (`storedAs`), and
 * reads hand either kind back as a Blob.
 */
export class IdbChunkStore implements ChunkStore {
  readonly kind = 'indexeddb' as const;
  private values: 'blob' | 'arraybuffer' = 'blob';

  private readonly connection: IdbConnection;

  constructor(db: IDBPDatabase<ChunkwiseDB> | IdbConnection) {
    this.connection = IdbConnection.of(db);
  }

  get storedAs(): StoredAs {
    return this.values;
  }

  private db(): Promise<IDBPDatabase<ChunkwiseDB>> {
    return this.connection.db();
  }

  async getMedia(key: string): Promise<MediaMeta | undefined> {
    return (await this.db()).get('media', key);
  }

  async listMedia(): Promise<MediaMeta[]> {
    return (await this.db()).getAll('media');
  }

  async putMedia(meta: MediaMeta): Promise<void> {
    await (await this.db()).put('media', meta);
  }

  async deleteMedia(key: string): Promise<void> {
    const tx = (await this.db()).transaction(['media', 'chunks'], 'readwrite');
    await tx.objectStore('chunks').delete(mediaKeyRange(key));
    await tx.objectStore('media').delete(key);
    await tx.done;
  }

  touch(key: string, at: number): Promise<void> {
    return this.update(key, (m) => ({ ...m, lastAccess: at }));
  }

  setPinned(key: string, pinned: boolean): Promise<void> {
    return this.update(key, (m) => ({ ...m, pinned }));
  }

  async getChunk(key: string, index: number): Promise<Blob | undefined> {
    const data = (await (await this.db()).get('chunks', [key, index]))?.data;
    return data === undefined ? undefined : asBlob(data);
  }

  async getChunks(key: string, from: number, to: number): Promise<Blob[] | null> {
    const records = await (await this.db()).getAll(
      'chunks',
      IDBKeyRange.bound([key, from], [key, to]),
    );
    if (records.length !== to - from + 1) return null;
    return records.map((r) => asBlob(r.data));
  }

  async putChunk(key: string, version: number, index: number, data: Blob): Promise<void> {
    if (this.values === 'arraybuffer')
      return this.put(key, version, index, await data.arrayBuffer());
    try {
      await this.put(key, version, index, data);
    } catch (error) {
      if (error instanceof StaleWriteError || isQuotaError(error)) throw error;
      // Maybe a refused Blob value: try the same bytes as an ArrayBuffer, and keep doing so only
      // if that is stored (else the first failure is the one to report).
      try {
        await this.put(key, version, index, await data.arrayBuffer());
      } catch {
        throw error;
      }
      this.values = 'arraybuffer';
    }
  }

  private async put(
    key: string,
    version: number,
    index: number,
    data: Blob | ArrayBuffer,
  ): Promise<void> {
    const tx = (await this.db()).transaction(['media', 'chunks'], 'readwrite', {
      durability: 'relaxed',
    });
    const meta = await tx.objectStore('media').get(key);
    if (meta?.version !== version) {
      tx.done.catch(() => undefined); // aborted on purpose: the rejection below says why
      tx.abort();
      throw new StaleWriteError(key, version, meta?.version ?? null);
    }
    await tx.objectStore('chunks').put({ key, index, data });
    await tx.done;
  }

  async deleteChunk(key: string, index: number): Promise<void> {
    await (await this.db()).delete('chunks', [key, index]);
  }

  async listChunks(key?: string): Promise<StoredChunk[]> {
    const out: StoredChunk[] = [];
    const range = key === undefined ? undefined : mediaKeyRange(key);
    const tx = (await this.db()).transaction('chunks', 'readonly');
    for (let c = await tx.store.openCursor(range); c; c = await c.continue()) {
      const { data } = c.value;
      out.push({
        key: c.value.key,
        index: c.value.index,
        size: data instanceof Blob ? data.size : data.byteLength,
      });
    }
    await tx.done;
    return out;
  }

  close(): void {
    this.connection.close();
  }

  private async update(key: string, change: (meta: MediaMeta) => MediaMeta): Promise<void> {
    const tx = (await this.db()).transaction('media', 'readwrite', { durability: 'relaxed' });
    const meta = await tx.store.get(key);
    if (meta !== undefined) await tx.store.put(change(meta));
    await tx.done;
  }
}

/** Every `[key, index]` of one media. */
function mediaKeyRange(key: string): IDBKeyRange {
  return IDBKeyRange.bound([key, 0], [key, Number.MAX_SAFE_INTEGER]);
}

/** A stored chunk as the port hands it out: always a Blob. */
function asBlob(data: Blob | ArrayBuffer): Blob {
  return data instanceof Blob ? data : new Blob([data]);
}
