import type { ChunkStore, MediaMeta, StoredChunk } from '../../../../src/sw/store/ChunkStore.ts';
import { type Gate, gate } from './gate.ts';

/** One `putChunk` call the wrapper saw. */
export interface HeldWrite {
  key: string;
  version: number;
  index: number;
  /** True once the write went on to the real store (after `release`). */
  released: boolean;
}

/**
 * Slow storage, on demand: a `ChunkStore` whose `putChunk` waits until the test calls `release`
 * (the write then goes to `inner` as usual). Every other method passes straight through. Lets a
 * test hold chunk writes and assert what the downloads do meanwhile, without any timer.
 */
export class HeldWritesStore implements ChunkStore {
  readonly writes: HeldWrite[] = [];
  private readonly open: Gate = gate();

  constructor(private readonly inner: ChunkStore) {}

  get kind() {
    return this.inner.kind;
  }

  /** Writes that arrived and are still waiting. */
  waiting(): HeldWrite[] {
    return this.writes.filter((w) => !w.released);
  }

  /** Let every held write, and every later one, through. */
  release(): void {
    this.open.open();
  }

  async putChunk(key: string, version: number, index: number, data: Blob): Promise<void> {
    const write: HeldWrite = { key, version, index, released: false };
    this.writes.push(write);
    await this.open.promise;
    write.released = true;
    return this.inner.putChunk(key, version, index, data);
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
  getChunks(key: string, from: number, to: number): Promise<Blob[] | null> {
    return this.inner.getChunks(key, from, to);
  }
  deleteChunk(key: string, index: number): Promise<void> {
    return this.inner.deleteChunk(key, index);
  }
  listChunks(key?: string): Promise<StoredChunk[]> {
    return this.inner.listChunks(key);
  }
  close(): void {
    this.inner.close();
  }
}
