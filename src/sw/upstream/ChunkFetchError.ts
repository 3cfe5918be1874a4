/**
 * Why one chunk download failed. `transient` failures (network error, 5xx/408/429, a truncated
 * body, headers or body bytes that did not come in time) are retried with backoff; the others
 * are not, because asking again would get the same answer: the content changed, the upstream
 * stopped honouring ranges, or it answered something that contradicts what we asked.
 */
export type ChunkFetchFailure =
  | 'network'
  | 'status'
  | 'truncated'
  | 'timeout'
  | 'invalid'
  | 'changed'
  | 'range-ignored'
  | 'aborted';

export class ChunkFetchError extends Error {
  override readonly name = 'ChunkFetchError';

  constructor(
    readonly failure: ChunkFetchFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }

  get transient(): boolean {
    if (['network', 'truncated', 'timeout'].includes(this.failure)) return true;
    if (this.failure === 'status') {
      const s = this.status ?? 0;
      return s >= 500 || s === 408 || s === 429;
    }
    return false;
  }
}
