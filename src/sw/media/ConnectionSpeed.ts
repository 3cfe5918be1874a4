/**
 * How fast one connection to an upstream origin delivers a chunk (one record per origin, kept by
 * `UpstreamSpeeds`), from the downloads that completed last: each records its bytes and the time
 * from its request to its last byte (the round trip included). The estimate is the slowest of the
 * recent ones, so one fast chunk after slow ones does not make a slow upstream look fast; a
 * failure says nothing about speed, so it makes the upstream unmeasured again (`forget`). Feeds
 * `chooseChunkBody`.
 */
export class ConnectionSpeed {
  /** Bytes per millisecond of the downloads that finished last, newest last. */
  private readonly rates: number[] = [];

  constructor(
    /** How many recent downloads the estimate looks at. */
    private readonly depth = 4,
  ) {}

  /** A download of `bytes` took `ms` from its request to its last byte. */
  record(bytes: number, ms: number): void {
    if (!(bytes > 0) || !(ms >= 0)) return;
    this.rates.push(bytes / Math.max(ms, 1));
    if (this.rates.length > this.depth) this.rates.shift();
  }

  /** Start over: until `depth` more downloads complete, nothing is assumed. */
  forget(): void {
    this.rates.length = 0;
  }

  /**
   * The ms one connection is expected to take for `bytes` (the slowest recent rate), or null
   * until `depth` downloads were recorded: nothing is assumed about an upstream not yet measured.
   */
  expectedMs(bytes: number): number | null {
    if (this.rates.length < this.depth) return null;
    return bytes / Math.min(...this.rates);
  }
}
