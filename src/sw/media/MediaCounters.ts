import { RateMeter } from '../stats/RateMeter.ts';

/** The running tallies of one media, read by stats; `changed()` notifies the stats publisher. */
export class MediaCounters {
  bytesDownloaded = 0;
  cacheHitBytes = 0;
  upstreamBytes = 0;
  retries = 0;
  fallbacks = 0;
  storageFailures = 0;
  /** Catch-up reads: the rest of a chunk read directly because its download was far behind. */
  catchUps = 0;
  /** Chunks not stored because the budget had no evictable room left. */
  uncached = 0;
  /** Chunk answers that came through a redirect (fetch followed it; validated all the same). */
  redirects = 0;
  /** Chunk downloads read natively: from the upstream to the store outside JavaScript. */
  nativeChunks = 0;

  readonly failed = new Set<number>();
  /** Chunks whose download was aborted because a seek left them outside every window. */
  readonly dropped = new Set<number>();

  lastError: string | null = null;
  readonly rate = new RateMeter();
  private listeners = new Set<() => void>();

  received(index: number, bytes: number): void {
    this.bytesDownloaded += bytes;
    this.rate.add(bytes);
    this.failed.delete(index);
  }

  fail(index: number, message: string): void {
    this.failed.add(index);
    this.lastError = message;
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    for (const l of this.listeners) l();
  }
}
