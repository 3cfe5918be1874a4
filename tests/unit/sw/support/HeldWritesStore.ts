import { type Gate, gate } from './gate.ts';
import { PassThroughStore } from './PassThroughStore.ts';

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
export class HeldWritesStore extends PassThroughStore {
  readonly writes: HeldWrite[] = [];
  private readonly open: Gate = gate();

  /** Writes that arrived and are still waiting. */
  waiting(): HeldWrite[] {
    return this.writes.filter((w) => !w.released);
  }

  /** Let every held write, and every later one, through. */
  release(): void {
    this.open.open();
  }

  override async putChunk(key: string, version: number, index: number, data: Blob): Promise<void> {
    const write: HeldWrite = { key, version, index, released: false };
    this.writes.push(write);
    await this.open.promise;
    write.released = true;
    return this.inner.putChunk(key, version, index, data);
  }
}
