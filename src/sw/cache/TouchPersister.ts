/**
 * Accesses recorded in memory at once and written to the store at most every `delayMs`,
 * coalesced per media: a readwrite transaction per request, queued behind chunk writes, made many
 * small range requests ever slower (BENCHMARKS.md S6: 292 → 158 req/s over five rounds). A
 * worker stopped meanwhile loses at most that much access history. `release` stops the timer.
 */
export class TouchPersister {
  private readonly pending = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly persist: (touches: [key: string, at: number][]) => Promise<void>,
    private readonly delayMs = 2000,
  ) {}

  record(key: string, at: number): void {
    this.pending.set(key, at);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.delayMs);
  }

  /** Write what was recorded now (errors are dropped: access times are a hint). */
  flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const touches = [...this.pending];
    this.pending.clear();
    if (touches.length === 0) return Promise.resolve();
    return this.persist(touches).catch(() => undefined);
  }

  /** Stop the timer (pending touches are dropped; call `flush` first to keep them). */
  release(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }
}
