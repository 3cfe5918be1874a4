/** A catch-up read is never worth it for less than this many bytes. */
export const CATCH_UP_MIN_GAP = 64 * 1024;
/** Waiting longer than this for a download to reach the reader costs more than a new request. */
export const CATCH_UP_MIN_WAIT_S = 0.15;

/**
 * Whether a reader should read the rest of its chunk with a ranged request of its own (a
 * *catch-up read*) instead of waiting for the chunk's download to reach its offset. A seek lands
 * mid-chunk while that chunk downloads from its first byte: at 1 MB/s a reader 700 KB in waits
 * 0.7 s, where a new request from the seek point answers in one round trip (BENCHMARKS.md S5).
 * Pure.
 *
 * @param gap - bytes between what the download has and where the reader is.
 * @param bytesPerSecond - the media's download rate per connection now (0 when unknown).
 */
export function worthCatchingUp(gap: number, bytesPerSecond: number): boolean {
  if (gap < CATCH_UP_MIN_GAP) return false;
  return bytesPerSecond <= 0 || gap / bytesPerSecond > CATCH_UP_MIN_WAIT_S;
}
