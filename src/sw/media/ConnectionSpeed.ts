/**
 * How long a download's rate counts: a record older than this says nothing about the network now
 * (a phone gone from Wi-Fi to cellular, a laptop woken from sleep, a server under load since).
 * Wall-clock time (`Date.now()`), because `performance.now()` stands still while the system
 * sleeps on most platforms; a clock set back makes a record stale too. The estimate needs `depth`
 * downloads completed within it, so downloads going on keep a record fresh, and an origin with
 * fewer completed lately (idle, or one chunk a minute) is unmeasured, as one never seen.
 */
export const MAX_RATE_AGE_MS = 120_000;

/**
 * How fast one connection to an upstream delivers a chunk, from the downloads that completed
 * last: each records its bytes and the time from its request to its last byte (the round trip
 * included). The estimate is the slowest of the recent ones, so one fast chunk after slow ones
 * does not make a slow upstream look fast; records older than `MAX_RATE_AGE_MS` no longer
 * count. One record per origin (`UpstreamSpeeds`: a failed native read makes it unmeasured
 * again, `forget`, since a failure says nothing about speed) and one per media and origin
 * (`ChunkDownloader`: a timeout is recorded there as a download at least as slow as the stall
 * timeout). Feeds `chooseChunkBody`.
 */
export class ConnectionSpeed {
  /** Bytes per millisecond of the downloads that finished last, and when, newest last. */
  private rates: { rate: number; at: number }[] = [];

  constructor(
    /** How many recent downloads the estimate looks at. */
    private readonly depth = 4,
    private readonly maxAgeMs = MAX_RATE_AGE_MS,
  ) {}

  /** A download of `bytes` took `ms` from its request to its last byte (which was just now). */
  record(bytes: number, ms: number): void {
    if (!(bytes > 0) || !(ms >= 0)) return;
    this.rates.push({ rate: bytes / Math.max(ms, 1), at: Date.now() });
    if (this.rates.length > this.depth) this.rates.shift();
  }

  /** Start over: until `depth` more downloads complete, nothing is assumed. */
  forget(): void {
    this.rates.length = 0;
  }

  /**
   * The ms one connection is expected to take for `bytes` (the slowest recent rate), or null
   * until `enough` downloads (`depth` unless told) were recorded within `maxAgeMs`: nothing is
   * assumed about an upstream not measured lately.
   */
  expectedMs(bytes: number, enough = this.depth): number | null {
    const now = Date.now();
    this.rates = this.rates.filter((r) => Math.abs(now - r.at) <= this.maxAgeMs);
    if (this.rates.length < Math.max(1, enough)) return null;
    return bytes / Math.min(...this.rates.map((r) => r.rate));
  }
}
