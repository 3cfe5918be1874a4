/**
 * The writes still running, per key. `OpfsChunkStore` waits for a media's pending chunk writes
 * before it removes that media's directories: Chromium refuses to remove a directory holding a
 * file with an open writable (`NoModificationAllowedError`, measured), and a write that started
 * under the old version must have finished (or given up) before its directory goes away.
 */
export class PendingWrites {
  private readonly pending = new Map<string, Set<Promise<unknown>>>();

  /** Track `write` under `key` until it settles. */
  add(key: string, write: Promise<unknown>): void {
    let set = this.pending.get(key);
    if (!set) {
      set = new Set();
      this.pending.set(key, set);
    }
    set.add(write);
    const forget = () => {
      set.delete(write);
      if (set.size === 0 && this.pending.get(key) === set) this.pending.delete(key);
    };
    write.then(forget, forget);
  }

  /** Resolves once every write of `key` tracked so far has settled (however it ended). */
  async settled(key: string): Promise<void> {
    await Promise.allSettled([...(this.pending.get(key) ?? [])]);
  }
}
