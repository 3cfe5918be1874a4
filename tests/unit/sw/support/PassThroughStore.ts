import type { ChunkStore, MediaMeta, StoredChunk } from '../../../../src/sw/store/ChunkStore.ts';

/**
 * A `ChunkStore` that passes every call to `inner`: test wrappers extend it and override only the
 * calls they watch, hold or fail.
 */
export class PassThroughStore implements ChunkStore {
  constructor(protected readonly inner: ChunkStore) {}

  get kind() {
    return this.inner.kind;
  }
  get storedAs() {
    return this.inner.storedAs;
  }
  get blobsOutliveRemoval() {
    return this.inner.blobsOutliveRemoval;
  }
  getMedia(key: string): Promise<MediaMeta | undefined> {
    return this.inner.getMedia(key);
  }
  listMedia(): Promise<MediaMeta[]> {
    return this.inner.listMedia();
  }
  putMedia(meta: MediaMeta): Promise<void> {
    return this.inner.putMedia(meta);
  }
  deleteMedia(key: string): Promise<void> {
    return this.inner.deleteMedia(key);
  }
  touch(key: string, at: number): Promise<void> {
    return this.inner.touch(key, at);
  }
  setPinned(key: string, pinned: boolean): Promise<void> {
    return this.inner.setPinned(key, pinned);
  }
  getChunk(key: string, index: number): Promise<Blob | undefined> {
    return this.inner.getChunk(key, index);
  }
  getSpan(key: string, from: number, to: number): Promise<Blob | null> {
    return this.inner.getSpan(key, from, to);
  }
  putChunk(key: string, version: number, index: number, data: Blob): Promise<void> {
    return this.inner.putChunk(key, version, index, data);
  }
  deleteChunk(key: string, index: number): Promise<void> {
    return this.inner.deleteChunk(key, index);
  }
  deleteChunks(key: string, indexes: number[]): Promise<number[]> {
    return this.inner.deleteChunks(key, indexes);
  }
  mergeChunks(key: string, version: number, first: number, count: number): Promise<boolean> {
    return this.inner.mergeChunks?.(key, version, first, count) ?? Promise.resolve(false);
  }
  listChunks(key?: string): Promise<StoredChunk[]> {
    return this.inner.listChunks(key);
  }
  close(): void {
    this.inner.close();
  }
}
