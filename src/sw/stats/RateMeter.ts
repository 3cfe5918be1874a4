/** Bytes per second over a sliding window of recent samples. */
export class RateMeter {
  private samples: { at: number; bytes: number }[] = [];

  constructor(
    private readonly windowMs = 3000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  add(bytes: number): void {
    this.samples.push({ at: this.now(), bytes });
    this.trim();
  }

  /** Bytes per second over the window (0 when idle for a whole window). */
  rate(): number {
    this.trim();
    if (this.samples.length === 0) return 0;
    const total = this.samples.reduce((sum, s) => sum + s.bytes, 0);
    const span = Math.max(this.now() - (this.samples[0] as { at: number }).at, 250);
    return (total * 1000) / span;
  }

  private trim(): void {
    const cutoff = this.now() - this.windowMs;
    let drop = 0;
    while (drop < this.samples.length && (this.samples[drop] as { at: number }).at < cutoff) drop++;
    if (drop > 0) this.samples = this.samples.slice(drop);
  }
}
