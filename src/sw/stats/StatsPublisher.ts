/**
 * Coalesces change notifications into at most one publish per `intervalMs` per key, so a burst
 * of chunk events costs one BroadcastChannel message. (The timer bounds the message rate; nobody
 * waits on it.)
 */
export class StatsPublisher {
  private readonly pending = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly publish: (key: string) => void,
    private readonly intervalMs = 250,
  ) {}

  schedule(key: string): void {
    this.pending.add(key);
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const keys = [...this.pending];
      this.pending.clear();
      for (const k of keys) this.publish(k);
    }, this.intervalMs);
  }

  /** Drop what is pending and stop the timer. */
  release(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }
}
