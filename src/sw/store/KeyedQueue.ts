/**
 * Runs tasks one after another per key, in call order; tasks of different keys run concurrently.
 * `OpfsChunkStore` uses it for metadata writes: two `createWritable()` writables on one file
 * lose data (the last `close()` wins, README "Platform facts"), so one media's `meta.json` is only ever
 * written by one task at a time.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Run `task` once every earlier task of `key` has settled; its result or error is returned. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // Forget the key once nothing is queued behind this task, so the map does not grow forever.
    tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
