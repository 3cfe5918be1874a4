/**
 * Token bucket with debt: `reserve(n)` always succeeds at once and returns how long the caller
 * must wait before sending those n bytes.
 *
 * Why debt instead of "wait until n tokens exist": callers that share one bucket (the link cap)
 * are served strictly in reservation order, so N connections that each reserve one small piece
 * at a time get ~rate/N each, and timer granularity (setTimeout rounds to >= 1 ms) cannot lower
 * the long-run rate: oversleeping only refills tokens that the next reservations use up.
 */
export class TokenBucket {
  #rate: number;
  #burst: number;
  #tokens: number;
  #last: number;
  readonly #now: () => number;

  /**
   * @param rate bytes per second (> 0)
   * @param burst bucket capacity in bytes; the bucket starts full
   * @param now clock in milliseconds (injectable for tests)
   */
  constructor(rate: number, burst: number, now: () => number = () => performance.now()) {
    this.#rate = rate;
    this.#burst = burst;
    this.#tokens = burst;
    this.#now = now;
    this.#last = now();
  }

  get rate(): number {
    return this.#rate;
  }

  /** Change rate/capacity, keeping what was earned at the old rate. */
  configure(rate: number, burst: number): void {
    if (rate === this.#rate && burst === this.#burst) return;
    this.#refill();
    this.#rate = rate;
    this.#burst = burst;
    this.#tokens = Math.min(this.#tokens, burst);
  }

  /** Take `n` tokens (possibly into debt); returns the delay in ms before they may be used. */
  reserve(n: number): number {
    this.#refill();
    this.#tokens -= n;
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.#rate) * 1000;
  }

  #refill(): void {
    const now = this.#now();
    const earned = ((now - this.#last) / 1000) * this.#rate;
    this.#last = now;
    this.#tokens = Math.min(this.#burst, this.#tokens + earned);
  }
}
