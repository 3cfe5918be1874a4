import { droppedPrefetch } from './droppedPrefetch.ts';

/** Required downloads (a reader waits) start before queued prefetches. */
export type Priority = 'required' | 'prefetch';

interface Task<T> {
  index: number;
  priority: Priority;
  running: boolean;
  waiters: number;
  controller: AbortController;
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export interface SchedulerCounts {
  running: number;
  queued: number;
  requiredQueued: number;
  /** The most downloads that ever ran at once (the scheduler's own record, for stats/tests). */
  peakRunning: number;
}

/**
 * Runs chunk downloads of one media, at most `concurrency` at a time, one per chunk however
 * many readers need it. The seed design's split done for real:
 * - `waitForChunk(i)` starts chunk i's download if it is not running or queued (or upgrades a
 *   queued prefetch to required) and returns that download's promise: readers wait on it, never
 *   poll or sleep;
 * - `startPrefetch(i)` makes sure a download of i is queued or running and never waits.
 * Required downloads start before queued prefetches. Prefetches nobody waits for can be dropped
 * (`retainPrefetches`), aborting their fetches; `abortAll` ends everything (session closed).
 *
 * Pure: it knows nothing of fetch or storage. `run(i, signal)` does the work and must settle
 * promptly once `signal` aborts. Chunks already stored are the caller's business.
 */
export class ChunkScheduler<T> {
  private readonly tasks = new Map<number, Task<T>>();
  /** Queued (not running) tasks in arrival order; required ones are picked first. */
  private readonly queue: Task<T>[] = [];
  private running = 0;
  private peakRunning = 0;

  constructor(
    private readonly run: (index: number, signal: AbortSignal) => Promise<T>,
    private concurrency: number,
    /** Told after every change of what is queued or running (for activity reports and stats). */
    private readonly onChange: () => void = () => undefined,
  ) {
    if (!(concurrency >= 1)) throw new RangeError(`concurrency must be >= 1, got ${concurrency}`);
  }

  /**
   * Wait for chunk `index`, starting its download if needed. `signal` withdraws this waiter only:
   * the returned promise rejects with the signal's reason, and the download goes on as a
   * prefetch (which `retainPrefetches` may then drop).
   */
  waitForChunk(index: number, signal?: AbortSignal): Promise<T> {
    // Withdrawn before it waited: no download for it (nobody else may want this chunk).
    if (signal?.aborted) return Promise.reject(signal.reason);
    const task = this.ensure(index, 'required');
    if (task.priority === 'prefetch') {
      task.priority = 'required';
    }
    task.waiters++;
    this.pump();
    this.onChange();
    if (!signal) return task.promise.finally(() => task.waiters--);
    if (signal.aborted) {
      // Aborted by what the calls above set off (a listener of `onChange`).
      this.withdraw(task);
      return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      const withdraw = () => {
        this.withdraw(task);
        reject(signal.reason);
      };
      signal.addEventListener('abort', withdraw, { once: true });
      task.promise.then(
        (value) => {
          signal.removeEventListener('abort', withdraw);
          if (signal.aborted) return;
          task.waiters--;
          resolve(value);
        },
        (error) => {
          signal.removeEventListener('abort', withdraw);
          if (signal.aborted) return;
          task.waiters--;
          reject(error);
        },
      );
    });
  }

  /** Make sure chunk `index` is downloading or queued; never waits. Idempotent. */
  startPrefetch(index: number): void {
    this.ensure(index, 'prefetch');
    this.pump();
    this.onChange();
  }

  /** Whether a download of `index` is queued or running. */
  has(index: number): boolean {
    return this.tasks.has(index);
  }

  /**
   * Drop every prefetch that nobody waits for and `keep(index)` rejects: queued ones are removed,
   * running ones aborted unless `abortRunning` is false. Returns the indexes dropped.
   */
  retainPrefetches(keep: (index: number) => boolean, abortRunning = true): number[] {
    const dropped: number[] = [];
    for (const task of [...this.tasks.values()]) {
      if (task.waiters > 0 || keep(task.index) || (task.running && !abortRunning)) continue;

      task.priority = 'prefetch';
      this.cancel(task, droppedPrefetch());

      dropped.push(task.index);
    }
    return dropped;
  }

  /** Abort every queued and running download (their waiters reject with `reason`). */
  abortAll(reason: unknown = new DOMException('aborted', 'AbortError')): void {
    for (const task of [...this.tasks.values()]) this.cancel(task, reason);
  }

  setConcurrency(concurrency: number): void {
    if (!(concurrency >= 1)) throw new RangeError(`concurrency must be >= 1, got ${concurrency}`);
    this.concurrency = concurrency;
    this.pump();
  }

  counts(): SchedulerCounts {
    return {
      running: this.running,
      queued: this.queue.length,
      requiredQueued: this.queue.filter((t) => t.priority === 'required').length,
      peakRunning: this.peakRunning,
    };
  }

  /** Indexes of every queued or running download. */
  indexes(): number[] {
    return [...this.tasks.keys()];
  }

  /** Indexes of the running downloads (for stats and tests). */
  runningIndexes(): number[] {
    return [...this.tasks.values()].filter((t) => t.running).map((t) => t.index);
  }

  /** One waiter leaves; with nobody left waiting, a queued download goes on as a prefetch. */
  private withdraw(task: Task<T>): void {
    task.waiters--;
    if (task.waiters === 0) task.priority = 'prefetch';
  }

  private ensure(index: number, priority: Priority): Task<T> {
    const existing = this.tasks.get(index);
    if (existing) return existing;
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A prefetch that fails or is dropped may have no waiter: that is not an unhandled error.
    promise.catch(() => undefined);
    const task: Task<T> = {
      index,
      priority,
      running: false,
      waiters: 0,
      controller: new AbortController(),
      promise,
      resolve,
      reject,
    };
    this.tasks.set(index, task);
    this.queue.push(task);
    return task;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      let at = this.queue.findIndex((t) => t.priority === 'required');
      if (at < 0) at = 0;
      const [task] = this.queue.splice(at, 1) as [Task<T>];
      this.start(task);
    }
  }

  private start(task: Task<T>): void {
    task.running = true;
    this.running++;
    this.peakRunning = Math.max(this.peakRunning, this.running);
    let result: Promise<T>;
    try {
      result = this.run(task.index, task.controller.signal);
    } catch (error) {
      result = Promise.reject(error);
    }
    result.then(
      (value) => this.settle(task, () => task.resolve(value)),
      (error) => this.settle(task, () => task.reject(error)),
    );
  }

  private settle(task: Task<T>, outcome: () => void): void {
    if (task.running) {
      task.running = false;
      this.running--;
    }
    if (this.tasks.get(task.index) === task) this.tasks.delete(task.index);
    outcome();
    this.pump();
    this.onChange();
  }

  private cancel(task: Task<T>, reason: unknown): void {
    if (this.tasks.get(task.index) !== task) return;
    this.tasks.delete(task.index);
    const at = this.queue.indexOf(task);
    if (at >= 0) this.queue.splice(at, 1);
    task.controller.abort(reason);
    task.reject(reason);
    this.onChange();
    // A running task keeps its concurrency slot until `run` settles, so an aborted fetch that
    // is still closing its connection is never counted twice against the upstream.
  }
}
