/**
 * Per-path request numbering, used by the failNth and changeAfter knobs.
 *
 * Counted per path (query ignored), over all methods except OPTIONS: a CORS preflight is sent
 * or skipped at the browser's discretion (preflight cache), so counting it would make
 * "fail the 2nd request" depend on browser state.
 */
export class PathCounters {
  readonly #counts = new Map<string, number>();

  /** Count one more request to `path`; returns its 1-based number. */
  next(path: string): number {
    const n = (this.#counts.get(path) ?? 0) + 1;
    this.#counts.set(path, n);
    return n;
  }

  reset(): void {
    this.#counts.clear();
  }
}
